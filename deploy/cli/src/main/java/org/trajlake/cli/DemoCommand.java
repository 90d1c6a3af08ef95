package org.trajlake.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.trajlake.cli.demo.DemoRun;
import org.trajlake.runtime.ServiceMain;
import org.trajlake.runtime.Settings;
import org.trajlake.stack.Component;
import org.trajlake.stack.ComponentStatus;
import org.trajlake.stack.Endpoints;
import org.trajlake.stack.LocalStack;
import org.trajlake.stack.StackConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trajlake demo}: the README's main command, both loops end to end on the local stack. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Both loops end to end on this machine: start the local stack (if not running) and the five "
        + "services, run a simulated fleet of coding agents whose outcomes (tests passed, PR merged, user "
        + "kept the output) arrive later, show a later agent recalling a similar earlier trajectory within "
        + "seconds, then the Iceberg snapshot that holds the rewarded trajectories and an export of DPO pairs. "
        + "Without --keep, the services stop at the end, and so does the stack if the demo started it.")
final class DemoCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--agents", paramLabel = "N", defaultValue = "8", description = "Agents in the fleet. Default: 8.")
  int agents;

  @Option(names = "--trajectories", paramLabel = "N", defaultValue = "48",
      description = "Trajectories the fleet writes. Default: 48.")
  int trajectories;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "7", description = "Seed of the simulation. Default: 7.")
  long seed;

  @Option(names = "--keep", description = "Leave the stack and the services running; stop with Ctrl-C, then trajlake down.")
  boolean keep;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "A service setting, as for `trajlake run all` (e.g. recall.port=8091). Repeatable.")
  Map<String, String> set = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    if (agents < 1 || trajectories < agents) {
      throw new IllegalArgumentException("--agents must be at least 1 and --trajectories at least --agents");
    }
    PrintWriter out = spec.commandLine().getOut();
    StackConfig config = StackOptions.config(spec, System.getenv());
    LocalStack stack = new LocalStack(config);
    boolean wasRunning = stack.status().stream().allMatch(ComponentStatus::healthy);
    Instant started = Instant.now();
    out.printf("trajlake demo: %d coding agents, %d trajectories, in %s%n%n", agents, trajectories, config.dataDir());
    out.println("[1/6] Local stack" + (wasRunning ? " (already running)" : ""));
    out.flush();
    stack.up(Component.all(), new UpCommand.Progress(out));
    Endpoints endpoints = stack.endpoints();
    UpCommand.Provisioned provisioned = UpCommand.provision(endpoints, 6);

    out.println("[2/6] Services, in this JVM (as `trajlake run all`)");
    out.flush();
    Map<String, String> demoDefaults = new LinkedHashMap<>(AllServices.stackDefaults(endpoints));
    // Snapshots every 5 s instead of every minute, so the cold loop shows within the demo.
    demoDefaults.put("sink.commit.interval.ms", "5000");
    Settings settings = Settings.load(set, System.getenv(), Optional.empty()).withDefaults(demoDefaults);
    AllServices.Configs configs = AllServices.Configs.from(settings);
    settings.requireExplicitKeysRead("trajlake demo", ServiceKeys::anyServiceReads);
    AllServices services = AllServices.start(configs);
    boolean handedOver = false;
    try {
      services.services().forEach(s -> out.printf("  %-15s %s%n", s.name(), s.where()));
      out.flush();
      DemoRun.Result result = new DemoRun(endpoints, provisioned.topicNames(), services.recallUrl(), out, seed)
          .run(agents, trajectories);
      printWhere(out, endpoints, services, result, stack, started);
      if (keep) {
        out.println("Everything keeps running (--keep). Stop the services with Ctrl-C, the stack with: trajlake down");
        out.flush();
        handedOver = true;
        ServiceMain.awaitShutdown(services);
      }
      return result.ok() ? 0 : 1;
    } finally {
      if (!handedOver) {
        services.close();
        if (!wasRunning && !keep) {
          out.println("Stopping the local stack the demo started (keep it with --keep) ...");
          out.flush();
          stack.down();
        }
      }
    }
  }

  private static void printWhere(PrintWriter out, Endpoints endpoints, AllServices services, DemoRun.Result result,
      LocalStack stack, Instant started) {
    out.println();
    out.printf("Done in %d s. Where everything is:%n", Duration.between(started, Instant.now()).toSeconds());
    List<String[]> rows = List.of(
        new String[] {"recall", services.recallUrl() + "  (MCP: same host, /mcp)"},
        new String[] {"opensearch", endpoints.openSearchUrl() + "  (indexes trajlake-trajectories, trajlake-steps)"},
        new String[] {"kafka", endpoints.bootstrapServers()},
        new String[] {"registry", endpoints.registryUrl()},
        new String[] {"iceberg", endpoints.icebergCatalogProperties().get("uri") + "  warehouse "
            + endpoints.dataDir().resolve("warehouse")},
        new String[] {"snapshot", result.snapshotId() == null ? "-" : result.snapshotId() + "  tag " + result.tag()},
        new String[] {"dpo export", result.export() == null ? "-" : result.export().toString()},
        new String[] {"logs", stack.endpoints().logsDir().toString()});
    rows.forEach(r -> out.printf("  %-11s %s%n", r[0], r[1]));
    out.println();
    out.println("Try next:");
    out.println("  ./trajlake snapshots list --data-dir " + endpoints.dataDir());
    if (result.tag() != null) {
      out.println("  ./trajlake export --tag " + result.tag() + " --format sft --out sft.jsonl --data-dir " + endpoints.dataDir());
    }
    out.println("  curl -s " + services.recallUrl() + " -H 'Content-Type: application/json' \\");
    out.println("    -d '{\"workspace\":\"demo\",\"query\":\"test times out on CI\",\"k\":3}'");
    out.println();
    out.println(result.ok() ? "demo: OK" : "demo: FAILED: " + result.problem());
    if (!result.ok()) {
      // What the services' /health would say: the first place to look when a loop did not deliver.
      List<String> unhealthy = services.unhealthy();
      out.println(unhealthy.isEmpty() ? "  every service reports itself healthy" : "  services not healthy:");
      unhealthy.forEach(problem -> out.println("    " + problem));
    }
    out.flush();
  }
}
