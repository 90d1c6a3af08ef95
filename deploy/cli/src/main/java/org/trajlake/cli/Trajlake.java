package org.trajlake.cli;

import java.io.PrintWriter;
import java.util.List;
import org.trajlake.ingest.IngestConfig;
import org.trajlake.joiner.JoinerConfig;
import org.trajlake.recall.RecallConfig;
import org.trajlake.recall.indexer.IndexerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code trajlake} command: the local stack today; services, demo and benchmarks build on it. */
@Command(name = "trajlake",
    mixinStandardHelpOptions = true,
    versionProvider = Trajlake.Version.class,
    description =
        "trajectory-lake: agents write every trajectory once, to Kafka; the hot loop recalls it from "
        + "OpenSearch within seconds, the cold loop turns it into versioned Iceberg training tables.",
    subcommands = {DemoCommand.class, UpCommand.class, DownCommand.class, StatusCommand.class, ProvisionCommand.class,
        RunCommand.class, McpCommand.class, BenchCommand.class,
        SnapshotsCommand.class, ExportCommand.class, SampleCommand.class,
        CompactCommand.class, DlqCommand.class, ReindexCommand.class, CommandLine.HelpCommand.class})
public final class Trajlake implements Runnable {
  @Spec
  CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command tree, with the stack settings added to every command that touches the stack. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Trajlake());
    for (String name : List.of("demo", "up", "down", "status")) {
      StackOptions.addTo(cli.getSubcommands().get(name).getCommandSpec());
    }
    for (CommandLine bench : cli.getSubcommands().get("bench").getSubcommands().values()) {
      StackOptions.addTo(bench.getCommandSpec());
    }
    cli.getSubcommands().get("provision").getCommandSpec().usageMessage()
        .footer(RunCommand.keyTable(ProvisionCommand.CONFIG).toArray(String[]::new));
    cli.getSubcommands().get("dlq").getCommandSpec().usageMessage()
        .footer(RunCommand.keyTable(DlqCommand.CONFIG).toArray(String[]::new));
    cli.getSubcommands().get("reindex").getCommandSpec().usageMessage()
        .footer(RunCommand.keyTable(IndexerConfig.configDef()).toArray(String[]::new));
    CommandLine run = cli.getSubcommands().get("run");
    StackOptions.addTo(run.getSubcommands().get("all").getCommandSpec());
    run.getSubcommands().get("ingest").getCommandSpec().usageMessage()
        .footer(RunCommand.keyTable(IngestConfig.configDef()).toArray(String[]::new));
    run.getSubcommands().get("joiner").getCommandSpec().usageMessage()
        .footer(RunCommand.keyTable(JoinerConfig.configDef()).toArray(String[]::new));
    run.getSubcommands().get("indexer").getCommandSpec().usageMessage()
        .footer(RunCommand.keyTable(IndexerConfig.configDef()).toArray(String[]::new));
    run.getSubcommands().get("recall").getCommandSpec().usageMessage()
        .footer(RunCommand.keyTable(RecallConfig.configDef()).toArray(String[]::new));
    run.getSubcommands().get("sink").getCommandSpec().usageMessage()
        .footer(RunCommand.keyTable(org.trajlake.sink.SinkConfig.configDef()).toArray(String[]::new));
    // --format sft, --strategy reward: enum options typed in lower case, as the docs spell them.
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler(new ErrorHandler());
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Failures the user can fix print as one clear message, not a stack trace. */
  static final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
      PrintWriter err = cli.getErr();
      err.println(cli.getCommandSpec().qualifiedName() + ": " + e.getMessage());
      if (System.getenv("TRAJLAKE_DEBUG") != null) {
        e.printStackTrace(err);
      }
      err.flush();
      return 1;
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Trajlake.class.getPackage().getImplementationVersion();
      return new String[] {"trajlake " + (version == null ? "(development build)" : version),
          "Java " + Runtime.version() + " on " + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
    }
  }
}
