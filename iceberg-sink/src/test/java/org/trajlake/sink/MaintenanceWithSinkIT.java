package org.trajlake.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.trajlake.sink.SinkFixtures.T0;
import static org.trajlake.sink.SinkFixtures.rewarded;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;
import org.trajlake.runtime.Settings;
import org.trajlake.schema.Topics;
import org.trajlake.sink.maintenance.CompactionOptions;
import org.trajlake.sink.maintenance.CompactionResult;
import org.trajlake.sink.maintenance.Compactor;
import org.trajlake.sink.maintenance.SnapshotExpiry;
import org.trajlake.sink.table.TableNames;
import org.trajlake.sink.trainer.Snapshots;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;

/**
 * Compaction and expiry beside a live sink on the real broker, registry and catalog: compactions race the
 * sink's upserts, expiry runs under it, and the sink restarts afterwards; the table stays exact.
 */
@RealServers({Component.KAFKA, Component.REGISTRY, Component.ICEBERG})
class MaintenanceWithSinkIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @Test
  void compactionsAndExpiryBesideTheSinkLoseNothingAndTheSinkResumesExactly(Endpoints servers) throws Exception {
    // Given a sink committing every 20 records, and version 1 of 120 trajectories in the table
    Topics topics = SinkFixtures.provision(servers, "maintenance");
    String namespace = "it_maint_" + System.nanoTime();
    Map<String, String> settings = SinkFixtures.settings(servers, topics, namespace);
    settings.put(SinkConfig.COMMIT_MAX_RECORDS, "20");
    List<String> ids = IntStream.range(0, 120).mapToObj(i -> "m-" + i).toList();
    String topic = topics.rewardedTrajectories().name();
    Catalog catalog = servers.openIcebergCatalog();
    Table table;
    try (RunningSink sink = SinkApp.start(SinkConfig.from(Settings.of(settings)))) {
      produce(servers, topics, ids, 1);
      await().atMost(TIMEOUT).until(() -> catalog.tableExists(TableIdentifier.of(namespace, TableNames.TRAJECTORIES)));
      table = SinkFixtures.table(catalog, namespace, TableNames.TRAJECTORIES);
      await().atMost(TIMEOUT).until(() -> SinkFixtures.versions(table).size() == ids.size());
      long tagged = table.currentSnapshot().snapshotId();
      new Snapshots(table).tag("v1", tagged, false);

      // When version 2 arrives in small waves while compactions run, each racing the sink's commits
      CompletableFuture<Void> waves = CompletableFuture.runAsync(() -> {
        for (int from = 0; from < ids.size(); from += 10) {
          produce(servers, topics, ids.subList(from, from + 10), 2);
          pause(150);
        }
      });
      List<CompactionResult> compactions = new ArrayList<>();
      while (!waves.isDone()) {
        compactions.add(new Compactor(table, CompactionOptions.defaults(table)).compact());
      }
      waves.get();
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(SinkFixtures.versions(table)).isEqualTo(expected(ids, 2)));
      CompactionResult last = new Compactor(table, CompactionOptions.defaults(table).withRewriteAll(true)).compact();

      // Then compactions committed between sink commits, and the table holds each trajectory once at version 2
      assertThat(compactions.stream().filter(CompactionResult::committed).count()).isGreaterThanOrEqualTo(1);
      assertThat(last.committed()).isTrue();
      assertThat(SinkFixtures.versions(table)).isEqualTo(expected(ids, 2));
      // and the sink's snapshots still cover every offset exactly once, stepping over the compactions
      SinkFixtures.assertContiguousRanges(table, topic);

      // When every snapshot that may go is expired while the sink runs
      SnapshotExpiry.Result expired = new SnapshotExpiry(table).expire(Instant.now().plusSeconds(60), 1, false);

      // Then old snapshots went, the tagged one stayed and still reads version 1 of every trajectory
      assertThat(expired.expired()).isNotEmpty().doesNotContain(tagged, expired.sinkSnapshotId());
      assertThat(SinkFixtures.rows(table, tagged)).hasSize(ids.size())
          .allSatisfy(row -> assertThat(row.getField(TableNames.VERSION)).isEqualTo(1L));
    }

    // When version 3 of a third of them arrives while the sink is down, and the sink starts again
    produce(servers, topics, ids.subList(0, 40), 3);
    try (RunningSink sink = SinkApp.start(SinkConfig.from(Settings.of(settings)))) {
      // Then it resumes from the offsets of its last snapshot: nothing is lost or written twice
      Map<String, Long> want = expected(ids, 2);
      ids.subList(0, 40).forEach(id -> want.put(id, 3L));
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(SinkFixtures.versions(table)).isEqualTo(want));
      SinkFixtures.assertContiguousRanges(table, topic);
    }
  }

  private static void produce(Endpoints servers, Topics topics, List<String> ids, long version) {
    SinkFixtures.produce(servers, topics.rewardedTrajectories(),
        ids.stream().map(id -> rewarded(id, version, 0.2 * version, T0.plus(Duration.ofDays(id.hashCode() & 1)), 4))
            .toList(), r -> r.getTrajectory().getTrajectoryId());
  }

  private static Map<String, Long> expected(List<String> ids, long version) {
    return ids.stream().collect(Collectors.toMap(id -> id, id -> version));
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
