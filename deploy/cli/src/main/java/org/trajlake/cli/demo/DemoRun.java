package org.trajlake.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.trajlake.schema.Topics;
import org.trajlake.sink.CatalogSettings;
import org.trajlake.sink.trainer.ExportManifest;
import org.trajlake.stack.Endpoints;

/**
 * Phases 3 to 6 of {@code trajlake demo}, against services already running: the fleet works, the hot
 * loop (a trajectory recallable seconds after its END; a later agent recalls a similar, well-rewarded
 * attempt), the outcomes arrive, and the cold loop (the snapshot with every trajectory labeled, its
 * reward distribution, a tag and a DPO export).
 */
public final class DemoRun {
  /** How the demo went; {@code problem} says what did not happen in time. */
  public record Result(boolean ok, String problem, Long snapshotId, String tag, Path export) {}

  private static final Duration HOT_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration COLD_TIMEOUT = Duration.ofSeconds(180);

  private final Endpoints endpoints;
  private final Topics topics;
  private final DemoRecall recall;
  private final PrintWriter out;
  private final long seed;
  private final String runId = Long.toString(System.currentTimeMillis() / 1000 % 1_000_000, 36);

  public DemoRun(Endpoints endpoints, Topics topics, String recallUrl, PrintWriter out, long seed) {
    this.endpoints = endpoints;
    this.topics = topics;
    this.recall = new DemoRecall(recallUrl);
    this.out = out;
    this.seed = seed;
  }

  public Result run(int agents, int trajectories) {
    try (DemoFleet fleet = new DemoFleet(endpoints, topics, runId, seed)) {
      say("[3/6] Fleet: %d agents on %d kinds of coding task (run %s, workspace '%s')", agents, CodingTask.ALL.size(),
          runId, DemoFleet.WORKSPACE);
      List<DemoFleet.Run> runs = withBar("trajectories", trajectories, done -> fleet.work(agents, trajectories, done));

      say("[4/6] Hot loop: recall while the fleet's outcomes are still unknown");
      DemoFleet.Run probe = fleet.attempt("coder-probe", CodingTask.ALL.get(1), "probe-" + runId, true);
      DemoRecall.Answer fresh = recall.until(CodingTask.ALL.get(1).failure(), 10, null, probe.taskId(),
          answer -> DemoRecall.contains(answer, probe.trajectoryId()), HOT_TIMEOUT);
      if (fresh == null) {
        return failed("a new trajectory was not recallable within " + HOT_TIMEOUT.toSeconds() + " s");
      }
      say("  a new trajectory was recallable %d ms after Kafka acknowledged its END", DemoFleet.since(probe.endAcked()).toMillis());

      say("[5/6] Outcomes arrive: tests passed, PR merged, user kept the output");
      withBar("trajectories", runs.size(), done -> {
        fleet.outcomes(runs, done);
        return null;
      });
      CodingTask similar = CodingTask.ALL.get(0);
      String query = "nightly build: OrderServiceTest timed out waiting for the order deadline";
      say("  a later agent gets \"%s\"%n  and recalls the earlier attempts with reward >= 0.5:", query);
      DemoRecall.Answer answer = recall.until(query, 3, 0.5, null, a -> a.trajectories().size() > 0
          && a.trajectories().get(0).path("task_id").asText().startsWith(similar.slug()), HOT_TIMEOUT);
      if (answer == null) {
        return failed("no rewarded trajectory of a similar task was recalled within " + HOT_TIMEOUT.toSeconds() + " s");
      }
      DemoRecall.Answer timed = recall.recall(query, 3, 0.5);
      printHits(timed);
      say("  recall took %d ms (HTTP round trip; the service's own time %d ms)", timed.latency().toMillis(),
          timed.body().path("took_ms").asLong());

      return coldLoop(runs);
    }
  }

  private Result coldLoop(List<DemoFleet.Run> runs) {
    say("[6/6] Cold loop: waiting for the Iceberg snapshot with every trajectory labeled");
    Set<String> ids = runs.stream().map(DemoFleet.Run::trajectoryId).collect(Collectors.toSet());
    CatalogSettings catalog = CatalogSettings.forDataDir(endpoints.dataDir());
    try (DemoColdLoop cold = new DemoColdLoop(catalog)) {
      DemoColdLoop.SnapshotStats stats = cold.awaitLabeled(ids, COLD_TIMEOUT);
      if (stats == null) {
        return failed("the fleet's trajectories were not all labeled in a snapshot within " + COLD_TIMEOUT.toSeconds() + " s");
      }
      say("  snapshot %d of %s.trajectories: %d rows of this run, all LABELED (%d rows in all)", stats.snapshotId(),
          catalog.namespace(), stats.runRows(), stats.totalRows());
      say("  reward distribution of this run:");
      long max = stats.rewardBuckets().values().stream().mapToLong(Long::longValue).max().orElse(1);
      for (int bucket = 0; bucket < 5; bucket++) {
        long n = stats.rewardBuckets().getOrDefault(bucket, 0L);
        say("    %.1f-%.1f %-30s %d", bucket / 5.0, (bucket + 1) / 5.0, "#".repeat((int) (30 * n / max)), n);
      }
      String tag = "demo-" + runId;
      cold.tag(tag, stats.snapshotId());
      Path export = endpoints.dataDir().resolve("demo").resolve("dpo-" + runId + ".jsonl");
      ExportManifest manifest = cold.exportDpo(stats.snapshotId(), export);
      say("  tagged it %s; exported %d DPO pairs (same task, rewards at least %.1f apart) to %s", tag,
          manifest.recordsWritten(), 0.1, export);
      return new Result(true, null, stats.snapshotId(), tag, export);
    }
  }

  private void printHits(DemoRecall.Answer answer) {
    int rank = 0;
    for (JsonNode hit : answer.trajectories()) {
      say("    %d. %-34s %-9s %-8s reward %.2f  score %.4f", ++rank, hit.path("task_id").asText(),
          hit.path("agent_id").asText(), hit.path("status").asText(), hit.path("reward").asDouble(),
          hit.path("score").asDouble());
      for (JsonNode step : hit.path("matching_steps")) {
        if ("THOUGHT".equals(step.path("kind").asText())) {
          say("       %s", abbreviate(step.path("snippet").asText(), 100));
          break;
        }
      }
    }
  }

  private <T> T withBar(String unit, int total, java.util.function.Function<IntConsumer, T> work) {
    out.flush();
    try (ProgressBar bar = new ProgressBarBuilder().setTaskName("  " + unit).setInitialMax(total)
        .setUpdateIntervalMillis(200).setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
      return work.apply(bar::stepTo);
    }
  }

  private Result failed(String problem) {
    say("  FAILED: %s", problem);
    return new Result(false, problem, null, null, null);
  }

  private void say(String format, Object... args) {
    out.printf(format + "%n", args);
    out.flush();
  }

  private static String abbreviate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 3) + "...";
  }
}
