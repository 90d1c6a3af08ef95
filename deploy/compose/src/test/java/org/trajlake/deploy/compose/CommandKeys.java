package org.trajlake.deploy.compose;

import java.util.Arrays;
import java.util.List;
import org.trajlake.cli.Trajlake;
import picocli.CommandLine;

/** The keys a trajlake command reads, as its --help footer lists them (generated from its ConfigDef). */
final class CommandKeys {
  private CommandKeys() {}

  /** {@code command}: the container's arguments, such as {@code run sink --config ...} or {@code provision}. */
  static List<String> of(List<String> command) {
    CommandLine sub = Trajlake.commandLine().getSubcommands().get(command.get(0));
    if (command.get(0).equals("run")) {
      sub = sub.getSubcommands().get(command.get(1));
    }
    return Arrays.stream(sub.getCommandSpec().usageMessage().footer())
        .map(line -> line.trim().split("\\s+")[0]).filter(key -> !key.isEmpty()).toList();
  }
}
