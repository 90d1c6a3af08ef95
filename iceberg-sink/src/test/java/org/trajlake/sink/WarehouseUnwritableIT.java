package org.trajlake.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.trajlake.runtime.Settings;
import org.trajlake.schema.Topics;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;

/**
 * The warehouse refusing the sink's files for a while (a full disk, a volume gone read-only): the
 * sink keeps the batch and writes it again, and meanwhile its {@code /health} says it is not
 * writing and why, instead of answering 200. Once the warehouse takes files again, every
 * trajectory is in the table once.
 */
@RealServers({Component.KAFKA, Component.REGISTRY, Component.ICEBERG})
class WarehouseUnwritableIT {
  @Test
  void whileTheWarehouseRefusesFilesHealthSaysWhyAndNothingIsLost(Endpoints servers) throws Exception {
    // Given a sink committing every 20 records, with its first 20 trajectories committed
    Topics topics = SinkFixtures.provision(servers, "unwritable");
    String namespace = "it_unwritable_" + System.nanoTime();
    Map<String, String> settings = SinkFixtures.settings(servers, topics, namespace);
    settings.put(SinkConfig.COMMIT_MAX_RECORDS, "20");
    settings.put(SinkConfig.RETRY_MAX_MS, "500");
    settings.put(SinkConfig.METRICS_PORT, "0");
    Catalog catalog = servers.openIcebergCatalog();
    List<String> ids = IntStream.range(0, 40).mapToObj(i -> "w-" + i).toList();
    try (RunningSink sink = SinkApp.start(SinkConfig.from(Settings.of(settings)))) {
      SinkFixtures.produceFirstVersions(servers, topics, ids.subList(0, 20));
      Table table = SinkFixtures.awaitTrajectories(catalog, namespace, 20);
      assertThat(SinkFixtures.health(sink).statusCode()).isEqualTo(200);
      long before = table.currentSnapshot().snapshotId();

      // When a file stands where the table's data directory was (permissions do not stop root; this does)
      Path data = Path.of(URI.create(table.location().startsWith("file:") ? table.location() : "file:" + table.location()))
          .resolve("data");
      Path aside = data.resolveSibling("data.aside");
      Files.move(data, aside);
      Files.writeString(data, "not a directory");
      HttpResponse<String> whileRefused;
      try {
        // and 20 more trajectories arrive
        SinkFixtures.produceFirstVersions(servers, topics, ids.subList(20, 40));

        // Then /health answers 503, saying the files could not be written and where
        await().atMost(SinkFixtures.IT_TIMEOUT).pollInterval(Duration.ofMillis(200))
            .until(() -> SinkFixtures.health(sink).statusCode() == 503);
        whileRefused = SinkFixtures.health(sink);
        table.refresh();
        assertThat(table.currentSnapshot().snapshotId()).as("nothing committed meanwhile").isEqualTo(before);
      } finally {
        // When the warehouse takes files again
        Files.delete(data);
        Files.move(aside, data);
      }
      assertThat(whileRefused.body()).contains("\"status\":\"DOWN\"")
          .contains("writing a batch's files under").contains(table.location())
          .contains("could not create the directory of").contains("Not a directory");

      // Then the batch is written, health is back, and every trajectory is in the table once
      await().atMost(SinkFixtures.IT_TIMEOUT).untilAsserted(() -> assertThat(SinkFixtures.versions(table))
          .isEqualTo(ids.stream().collect(Collectors.toMap(id -> id, id -> 1L))));
      await().atMost(SinkFixtures.IT_TIMEOUT).until(() -> SinkFixtures.health(sink).statusCode() == 200);
      assertThat(sink.problem()).isEmpty();
      SinkFixtures.assertContiguousRanges(table, topics.rewardedTrajectories().name());
    }
  }
}
