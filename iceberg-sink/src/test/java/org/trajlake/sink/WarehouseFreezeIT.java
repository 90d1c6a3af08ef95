package org.trajlake.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.trajlake.runtime.Settings;
import org.trajlake.schema.Topics;
import org.trajlake.sink.commit.SinkLoop;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;

/**
 * A warehouse that stops answering in the middle of a batch (an object store or a mount that takes
 * the request and never replies): the sink's loop cannot move, and before {@code sink.stall.ms}
 * it still answered 200 on {@code /health}. Past the limit it answers 503 saying the loop is stuck,
 * the stuck thread is among those whose stacks the watch logs, and once the warehouse answers again
 * every trajectory is in the table once.
 */
@RealServers({Component.KAFKA, Component.REGISTRY, Component.ICEBERG})
class WarehouseFreezeIT {
  @Test
  void aWarehouseThatStopsAnsweringIsReportedAsAStuckSinkAndNothingIsLost(Endpoints servers) throws Exception {
    // Given a sink committing every 20 records through a warehouse that can be frozen, allowed 3 s
    // without progress, with its first 20 trajectories committed
    Topics topics = SinkFixtures.provision(servers, "freeze");
    String namespace = "it_freeze_" + System.nanoTime();
    Map<String, String> settings = SinkFixtures.settings(servers, topics, namespace);
    settings.put(SinkConfig.COMMIT_MAX_RECORDS, "20");
    settings.put(SinkConfig.RETRY_MAX_MS, "500");
    settings.put(SinkConfig.STALL_MS, "3000");
    settings.put(SinkConfig.METRICS_PORT, "0");
    settings.put(CatalogSettings.PREFIX + CatalogProperties.FILE_IO_IMPL, FreezableFileIO.class.getName());
    Catalog catalog = servers.openIcebergCatalog();
    List<String> ids = IntStream.range(0, 40).mapToObj(i -> "f-" + i).toList();
    try (RunningSink sink = SinkApp.start(SinkConfig.from(Settings.of(settings)))) {
      SinkFixtures.produceFirstVersions(servers, topics, ids.subList(0, 20));
      Table table = SinkFixtures.awaitTrajectories(catalog, namespace, 20);
      assertThat(SinkFixtures.health(sink).statusCode()).isEqualTo(200);
      long before = table.currentSnapshot().snapshotId();

      // When the warehouse stops answering and 20 more trajectories arrive
      FreezableFileIO.freeze();
      HttpResponse<String> whileFrozen;
      String stuckThreads;
      try {
        SinkFixtures.produceFirstVersions(servers, topics, ids.subList(20, 40));

        // Then /health answers 503 once the loop has been stuck for longer than the limit
        await().atMost(SinkFixtures.IT_TIMEOUT).pollInterval(Duration.ofMillis(200))
            .until(() -> SinkFixtures.health(sink).statusCode() == 503);
        whileFrozen = SinkFixtures.health(sink);
        stuckThreads = watchedThreadsWaitingOnTheWarehouse();
        table.refresh();
        assertThat(table.currentSnapshot().snapshotId()).as("nothing committed meanwhile").isEqualTo(before);
      } finally {
        // When the warehouse answers again
        FreezableFileIO.thaw();
      }
      assertThat(whileFrozen.body()).contains("\"status\":\"DOWN\"")
          .contains("the iceberg-sink loop has made no progress for").contains("sink.stall.ms (3000 ms)");
      assertThat(stuckThreads).as("a thread the watch dumps is the one waiting on the warehouse").isNotEmpty();

      // Then the batch is committed, health is back, and every trajectory is in the table once
      await().atMost(SinkFixtures.IT_TIMEOUT).untilAsserted(() -> assertThat(SinkFixtures.versions(table))
          .isEqualTo(ids.stream().collect(Collectors.toMap(id -> id, id -> 1L))));
      await().atMost(SinkFixtures.IT_TIMEOUT).until(() -> SinkFixtures.health(sink).statusCode() == 200);
      assertThat(sink.problem()).isEmpty();
      SinkFixtures.assertContiguousRanges(table, topics.rewardedTrajectories().name());
    } finally {
      FreezableFileIO.thaw();
    }
  }

  /** The names of the threads the stall watch dumps that are waiting in the frozen warehouse. */
  private static String watchedThreadsWaitingOnTheWarehouse() {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(entry -> SinkLoop.threadPrefixes().stream().anyMatch(entry.getKey().getName()::startsWith))
        .filter(entry -> Arrays.stream(entry.getValue())
            .anyMatch(frame -> frame.getClassName().startsWith(FreezableFileIO.class.getName())))
        .map(entry -> entry.getKey().getName())
        .collect(Collectors.joining(", "));
  }
}
