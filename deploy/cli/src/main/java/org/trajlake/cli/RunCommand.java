package org.trajlake.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.trajlake.ingest.IngestApp;
import org.trajlake.ingest.IngestConfig;
import org.trajlake.joiner.JoinerApp;
import org.trajlake.joiner.JoinerConfig;
import org.trajlake.recall.RecallApp;
import org.trajlake.recall.RecallConfig;
import org.trajlake.recall.RunningRecall;
import org.trajlake.recall.indexer.IndexerApp;
import org.trajlake.recall.indexer.IndexerConfig;
import org.trajlake.recall.indexer.RunningIndexer;
import org.trajlake.runtime.RunningService;
import org.trajlake.runtime.ServiceMain;
import org.trajlake.runtime.Settings;
import org.trajlake.sink.RunningSink;
import org.trajlake.sink.SinkApp;
import org.trajlake.sink.SinkConfig;
import org.trajlake.stack.Endpoints;
import org.trajlake.stack.LocalStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trajlake run <service>}: runs one service in the foreground until Ctrl-C or SIGTERM. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a service in the foreground until Ctrl-C or SIGTERM. Settings come from --set, then "
        + "TRAJLAKE_* environment variables, then --config FILE, then defaults; `trajlake run <service> --help` "
        + "lists every key. Start several instances with the same application.id to share the partitions.",
    subcommands = {RunCommand.All.class, RunCommand.Ingest.class, RunCommand.Joiner.class, RunCommand.Indexer.class,
        RunCommand.Recall.class, RunCommand.Sink.class})
final class RunCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Options every service takes. */
  abstract static class ServiceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "A properties file of settings.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A setting; wins over the file and the environment. Repeatable.")
    Map<String, String> set = new LinkedHashMap<>();

    private Settings settings;

    /** The settings of this run: --set, then TRAJLAKE_* variables, then --config FILE. */
    Settings settings() {
      if (settings == null) {
        settings = Settings.load(set, System.getenv(), Optional.ofNullable(config));
      }
      return settings;
    }

    /**
     * The config {@code build} makes of the settings, refused when a key given with --set was not read by it:
     * a misspelt key would otherwise leave its setting at the default without a word.
     */
    <C> C configured(Function<Settings, C> build) {
      C built = build.apply(settings());
      requireSetKeysRead();
      return built;
    }

    /**
     * Refuses keys given with --set that nothing built from {@link #settings()} so far has read, unless another
     * service reads them.
     */
    void requireSetKeysRead() {
      settings().requireExplicitKeysRead(spec.qualifiedName(), ServiceKeys::anyServiceReads);
    }

    /** Says where a Streams service runs, and blocks until the JVM is asked to stop. */
    int runUntilStopped(RunningService service) {
      return runUntilStopped(service.name(), service.metricsPort() < 0 ? ""
          : "; metrics at http://127.0.0.1:" + service.metricsPort() + "/metrics", service);
    }

    int runUntilStopped(String name, String where, AutoCloseable service) {
      PrintWriter out = spec.commandLine().getOut();
      out.println(name + " is running" + where + ". Stop with Ctrl-C.");
      out.flush();
      ServiceMain.awaitShutdown(service);
      return 0;
    }
  }

  @Command(name = "all", mixinStandardHelpOptions = true,
      description = "All five services in one JVM, the single-machine default: ingest-streams, reward-joiner, "
          + "recall-indexer, recall and iceberg-sink, connected to the local stack of --data-dir unless settings "
          + "say otherwise. Every service reads the same settings; prefix a key with a service's name to set it "
          + "for that service only: ingest., joiner., indexer., recall., sink. (e.g. sink.commit.interval.ms=10000, "
          + "joiner.metrics.port=9412). `trajlake run <service> --help` lists each service's keys.")
  static final class All extends ServiceCommand {
    @Override
    public Integer call() {
      // The stack options (--data-dir, ports) say where the local stack's servers are: the default connections.
      Endpoints endpoints = new LocalStack(StackOptions.config(spec, System.getenv())).endpoints();
      AllServices services = AllServices.start(configured(settings ->
          AllServices.Configs.from(settings.withDefaults(AllServices.stackDefaults(endpoints)))));
      PrintWriter out = spec.commandLine().getOut();
      services.services().forEach(s -> out.printf("  %-15s %s%n", s.name(), s.where()));
      return runUntilStopped("trajlake (all five services)", "", services);
    }
  }

  @Command(name = "ingest", mixinStandardHelpOptions = true,
      description = "ingest-streams: trajlake.events to trajlake.trajectories (validate, dedupe, assemble).",
      footerHeading = "%nSettings (key, default, meaning):%n")
  static final class Ingest extends ServiceCommand {
    @Override
    public Integer call() {
      return runUntilStopped(IngestApp.start(configured(IngestConfig::from)));
    }
  }

  @Command(name = "joiner", mixinStandardHelpOptions = true,
      description = "reward-joiner: trajlake.trajectories + trajlake.outcomes to trajlake.trajectories.rewarded. "
          + "The reward spec is set with reward.kind.<kind>.weight, reward.kind.<kind>.combine (latest, max, sum), "
          + "reward.required and reward.spec.name, in the config file or with --set.",
      footerHeading = "%nSettings (key, default, meaning):%n")
  static final class Joiner extends ServiceCommand {
    @Override
    public Integer call() {
      return runUntilStopped(JoinerApp.start(configured(JoinerConfig::from)));
    }
  }

  @Command(name = "indexer", mixinStandardHelpOptions = true,
      description = "recall-indexer: trajlake.trajectories and trajlake.trajectories.rewarded into OpenSearch "
          + "(<index.prefix>trajectories and <index.prefix>steps), embedding in-process unless agents sent vectors.",
      footerHeading = "%nSettings (key, default, meaning):%n")
  static final class Indexer extends ServiceCommand {
    @Override
    public Integer call() {
      RunningIndexer indexer = IndexerApp.start(configured(IndexerConfig::from));
      return runUntilStopped(indexer.name(), indexer.metricsPort() < 0 ? ""
          : "; metrics at http://127.0.0.1:" + indexer.metricsPort() + "/metrics", indexer);
    }
  }

  @Command(name = "recall", mixinStandardHelpOptions = true,
      description = "The recall service: POST /v1/recall and /v1/recall/steps, the MCP endpoint /mcp, "
          + "GET /health and /metrics, on recall.host:recall.port (127.0.0.1:8090).",
      footerHeading = "%nSettings (key, default, meaning):%n")
  static final class Recall extends ServiceCommand {
    @Override
    public Integer call() {
      RunningRecall recall = RecallApp.start(configured(RecallConfig::from));
      return runUntilStopped("recall", " at http://127.0.0.1:" + recall.port() + "/v1/recall (MCP at /mcp)", recall);
    }
  }

  /**
   * The footer listing a service's keys, generated from its ConfigDef: each key with its default, then its
   * meaning wrapped below it, so the list reads in an 80-column terminal (picocli would break a wider line
   * anywhere, and a three-column table then loses its columns).
   */
  static List<String> keyTable(org.apache.kafka.common.config.ConfigDef definition) {
    List<String> lines = new ArrayList<>();
    for (org.apache.kafka.common.config.ConfigDef.ConfigKey key : definition.configKeys().values()) {
      String value = !key.hasDefault() ? "(required)"
          : key.defaultValue == null ? "(none)" : String.valueOf(key.defaultValue);
      lines.add(String.format("  %-32s %s", key.name, value.isEmpty() ? "(empty)" : value));
      lines.addAll(wrap(String.valueOf(key.documentation), "      ", 80));
    }
    // picocli formats footers: a per-cent sign in a key's documentation ("15% more") is text.
    return lines.stream().map(line -> line.replace("%", "%%")).toList();
  }

  /** {@code text} as lines of at most {@code width} characters, each starting with {@code indent}. */
  static List<String> wrap(String text, String indent, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder(indent);
    for (String word : text.trim().split("\\s+")) {
      if (line.length() > indent.length() && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line = new StringBuilder(indent);
      }
      line.append(line.length() > indent.length() ? " " : "").append(word);
    }
    lines.add(line.toString());
    return lines;
  }

  @Command(name = "sink", mixinStandardHelpOptions = true,
      description = "iceberg-sink: trajlake.trajectories.rewarded and trajlake.outcomes into the Iceberg tables "
          + "trajlake.trajectories (one row per trajectory, latest version) and trajlake.outcomes, exactly once. "
          + "The graduation filter (graduate.*) decides which trajectories reach the training table.",
      footerHeading = "%nSettings (key, default, meaning):%n")
  static final class Sink extends ServiceCommand {
    @Override
    public Integer call() {
      RunningSink sink = SinkApp.start(configured(SinkConfig::from));
      return runUntilStopped(sink.name(), sink.metricsPort() < 0 ? ""
          : "; metrics at http://127.0.0.1:" + sink.metricsPort() + "/metrics", sink);
    }
  }
}
