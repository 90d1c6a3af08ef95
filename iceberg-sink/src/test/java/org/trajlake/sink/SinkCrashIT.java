package org.trajlake.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.trajlake.sink.SinkFixtures.T0;
import static org.trajlake.sink.SinkFixtures.rewarded;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlake.schema.Outcome;
import org.trajlake.schema.RewardedTrajectory;
import org.trajlake.schema.Topics;
import org.trajlake.sink.table.TableNames;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;

/**
 * Exactly once under kill -9: the sink runs in a JVM of its own that is stopped without warning 24
 * times, at the moments that matter (files written but not committed; right after a commit) and at
 * random times, while new versions and outcomes keep arriving between runs. Each run uses a fresh
 * consumer group, so nothing but the tables' snapshots can tell it where to resume. At the end the
 * tables hold exactly the expected rows: no duplicate, none missing.
 */
@RealServers({Component.KAFKA, Component.REGISTRY, Component.ICEBERG})
class SinkCrashIT {
  private static final int RUNS = 24;
  private static final int TRAJECTORIES = 200;
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @TempDir
  Path dir;

  @Test
  void killedTwentyFourTimesTheTablesEndExactlyAsExpected(Endpoints servers) throws Exception {
    // Given topics and a namespace of this test's own
    Topics topics = SinkFixtures.provision(servers, "crash");
    String namespace = "it_crash_" + System.nanoTime();
    Random random = new Random(42);
    Map<String, Long> expectedVersions = new HashMap<>();
    List<String> expectedOutcomes = new ArrayList<>();
    List<String> ids = IntStream.range(0, TRAJECTORIES).mapToObj(i -> "k-" + i).toList();
    List<String> log = new ArrayList<>();
    Map<String, Integer> haltedAt = new HashMap<>();

    for (int run = 0; run < RUNS; run++) {
      // When a wave of new versions (for a random third of the trajectories) and outcomes arrives
      List<RewardedTrajectory> wave = new ArrayList<>();
      List<Outcome> outcomes = new ArrayList<>();
      for (String id : ids) {
        if (random.nextInt(3) == 0 || run == 0) {
          long version = expectedVersions.merge(id, 1L, Long::sum);
          wave.add(rewarded(id, version, version / 10.0, T0.plus(Duration.ofHours(version * 7)), 3));
          String outcomeId = id + "-o" + run;
          outcomes.add(SinkFixtures.outcome(outcomeId, id, "rating", run));
          expectedOutcomes.add(outcomeId);
        }
      }
      SinkFixtures.produce(servers, topics.rewardedTrajectories(), wave, r -> r.getTrajectory().getTrajectoryId());
      SinkFixtures.produce(servers, topics.outcomes(), outcomes, Outcome::getTrajectoryId);

      // and the sink is killed: after writing files, right after a commit, or at a random time
      String kind = switch (run % 3) {
        case 0 -> "files";
        case 1 -> "commit";
        default -> "none";
      };
      int n = 1 + random.nextInt(3);
      Process sink = start(servers, topics, namespace, "crash-" + run, kind, n);
      boolean halted = sink.waitFor(kind.equals("none") ? 3_000 + random.nextInt(6_000) : 25_000, TimeUnit.MILLISECONDS);
      if (!halted) {
        sink.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL
      }
      log.add("run " + run + ": " + kind + " #" + n + (halted ? " halted itself (exit " + sink.exitValue() + ")" : " killed"));
      if (halted && sink.exitValue() == CrashingSinkMain.HALT_STATUS) {
        haltedAt.merge(kind, 1, Integer::sum);
      }
    }
    // The moments that matter were reached, not only asked for: each halt point stopped the sink in
    // most of its eight runs (a wave too small for the n-th commit lets a run end by the kill instead)
    assertThat(haltedAt.getOrDefault("files", 0)).as(String.join("\n", log)).isGreaterThanOrEqualTo(6);
    assertThat(haltedAt.getOrDefault("commit", 0)).as(String.join("\n", log)).isGreaterThanOrEqualTo(6);

    // Then a last run without a crash catches up, and the tables hold exactly what was sent
    Process last = start(servers, topics, namespace, "crash-final", "none", 0);
    Catalog catalog = servers.openIcebergCatalog();
    try {
      await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(
          () -> catalog.tableExists(TableIdentifier.of(namespace, TableNames.OUTCOMES)));
      Table trajectories = SinkFixtures.table(catalog, namespace, TableNames.TRAJECTORIES);
      Table outcomeTable = SinkFixtures.table(catalog, namespace, TableNames.OUTCOMES);
      await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).untilAsserted(
          () -> assertThat(SinkFixtures.versions(trajectories)).as(String.join("\n", log)).isEqualTo(expectedVersions));
      await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        List<Object> outcomeIds = SinkFixtures.rows(outcomeTable, null).stream().map(r -> r.getField("outcome_id")).toList();
        assertThat(outcomeIds).as("outcome rows").hasSize(expectedOutcomes.size());
        assertThat(outcomeIds).containsExactlyInAnyOrderElementsOf(expectedOutcomes);
      });
      // and no two snapshots cover the same offsets, nor leave a gap between them
      SinkFixtures.assertContiguousRanges(trajectories, topics.rewardedTrajectories().name());
      SinkFixtures.assertContiguousRanges(outcomeTable, topics.outcomes().name());
      // and the rows carry the reward of their latest version
      for (Record row : SinkFixtures.rows(trajectories, null)) {
        long version = (Long) row.getField("version");
        assertThat((Double) row.getField("reward")).isEqualTo(version / 10.0);
      }
    } finally {
      last.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  private Process start(Endpoints servers, Topics topics, String namespace, String group, String kind, int n)
      throws IOException {
    Map<String, String> settings = SinkFixtures.settings(servers, topics, namespace);
    settings.put(SinkConfig.GROUP_ID, group); // a fresh group every run: group offsets cannot help
    settings.put(SinkConfig.COMMIT_MAX_RECORDS, "37");
    settings.put(SinkConfig.COMMIT_INTERVAL_MS, "300");
    Properties properties = new Properties();
    properties.putAll(settings);
    Path file = dir.resolve(group + ".properties");
    try (Writer writer = Files.newBufferedWriter(file)) {
      properties.store(writer, null);
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    Path log = Path.of("target", "sink-" + namespace + "-" + group + ".log");
    return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        CrashingSinkMain.class.getName(), file.toString(), kind, Integer.toString(n))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }
}
