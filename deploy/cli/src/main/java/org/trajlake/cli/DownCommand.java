package org.trajlake.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.trajlake.stack.Component;
import org.trajlake.stack.LocalStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "down", mixinStandardHelpOptions = true, description = "Stop the servers of the local stack. Their data stays in the data dir.")
final class DownCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    LocalStack stack = new LocalStack(StackOptions.config(spec, System.getenv()));
    List<Component> stopped = stack.down();
    spec.commandLine().getOut().println(stopped.isEmpty()
        ? "nothing was running in " + stack.config().dataDir()
        : "stopped " + String.join(", ", stopped.stream().map(Component::id).toList())
            + "; data kept in " + stack.config().dataDir());
    return 0;
  }
}
