package org.trajlake.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.trajlake.stack.ComponentStatus;
import org.trajlake.stack.LocalStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show each component of the local stack: state, pid, address. Exit code 0 when all are healthy, 3 otherwise.")
final class StatusCommand implements Callable<Integer> {
  static final int NOT_ALL_HEALTHY = 3;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    LocalStack stack = new LocalStack(StackOptions.config(spec, System.getenv()));
    List<ComponentStatus> rows = stack.status();
    StatusTable.print(spec.commandLine().getOut(), rows);
    return rows.stream().allMatch(ComponentStatus::healthy) ? 0 : NOT_ALL_HEALTHY;
  }
}
