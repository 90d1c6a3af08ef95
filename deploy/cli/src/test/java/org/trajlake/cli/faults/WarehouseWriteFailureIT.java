package org.trajlake.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;

/**
 * The warehouse refuses the sink's files for a while under load: the sink logs a clear error, commits
 * nothing while its files cannot be written (the table's current snapshot stays where it was), and
 * catches up once the warehouse is writable again. The table's {@code data} folder is replaced by a
 * plain file rather than made read-only, because the tests may run as root, whom permissions do not stop.
 */
@RealServers({Component.KAFKA, Component.REGISTRY, Component.OPENSEARCH, Component.ICEBERG})
class WarehouseWriteFailureIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final String WRITE_FAILED = "writing the files of a batch of";

  @Test
  void theSinkCommitsNothingWhileTheWarehouseRefusesWritesAndCatchesUpAfter(Endpoints servers) throws Exception {
    // Given the five services and trajectories arriving every 100 ms, the table already committed to
    try (TestPipeline pipeline = TestPipeline.provision(servers, "warehouse", Map.of());
        GoodLoad load = new GoodLoad(pipeline, "warehouse", List.of("warehouse-a", "warehouse-b"), Duration.ofMillis(100))) {
      ServiceProcess all = pipeline.startAll();
      load.start();
      load.awaitMore(10, TIMEOUT);
      await("a first snapshot of the trajectories table").atMost(TIMEOUT).ignoreExceptions()
          .until(() -> currentSnapshot(pipeline) != null);

      // When the table's data folder cannot be written while trajectories keep arriving
      Path data = Path.of(URI.create(table(pipeline, Table::location) + "/data"));
      Path moved = data.resolveSibling("data.moved");
      Files.move(data, moved);
      Files.writeString(data, "not a directory: the warehouse refuses writes");
      Snapshot frozen = currentSnapshot(pipeline);
      try {
        load.awaitMore(20, TIMEOUT);

        // Then the sink says so, naming the table ...
        await("the sink logs the write failure").atMost(TIMEOUT)
            .until(() -> all.logText().contains(WRITE_FAILED));
        assertThat(all.logText()).containsPattern("ERROR .*" + pipeline.namespace + "\\.trajectories: " + WRITE_FAILED);
        // ... and commits nothing meanwhile: the current snapshot is the one from before
        assertThat(currentSnapshot(pipeline).snapshotId()).isEqualTo(frozen.snapshotId());
      } finally {
        // When the warehouse is writable again
        Files.delete(data);
        Files.move(moved, data);
      }
      load.awaitMore(10, TIMEOUT);
      Map<String, Set<String>> produced = load.stop();

      // Then the sink caught up: per workspace, the table and the index hold exactly what was produced
      ClosingCheck.awaitEverywhere(pipeline, produced, TIMEOUT);
      assertThat(all.alive()).as(all.logText()).isTrue();
    }
  }

  private static Snapshot currentSnapshot(TestPipeline pipeline) {
    return table(pipeline, Table::currentSnapshot);
  }

  private static <T> T table(TestPipeline pipeline, java.util.function.Function<Table, T> read) {
    Catalog catalog = pipeline.servers.openIcebergCatalog();
    try {
      return read.apply(catalog.loadTable(TableIdentifier.of(pipeline.namespace, "trajectories")));
    } finally {
      if (catalog instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          // a read-only handle
        }
      }
    }
  }
}
