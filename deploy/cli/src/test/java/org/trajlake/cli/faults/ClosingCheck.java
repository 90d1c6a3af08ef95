package org.trajlake.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * The closing check of every fault and bad-input test: per workspace, the trajectories produced equal
 * the rows of the current Iceberg snapshot and the documents of the OpenSearch trajectories index, as
 * sets of ids (a set of counts could hide one lost and one extra), with no trajectory in two rows.
 */
final class ClosingCheck {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PAGE = 5_000;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ClosingCheck() {}

  /** Waits up to {@code timeout} for both stores to hold exactly {@code produced}, workspace by workspace. */
  static void awaitEverywhere(TestPipeline pipeline, Map<String, Set<String>> produced, Duration timeout) {
    Map<String, Set<String>> expected = new TreeMap<>(produced);
    await("the Iceberg snapshot holds exactly the trajectories produced, per workspace, each in one row")
        .atMost(timeout).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
        .untilAsserted(() -> assertThat(icebergIds(pipeline)).isEqualTo(expected));
    await("the OpenSearch index holds exactly the trajectories produced, per workspace").atMost(timeout)
        .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
        .untilAsserted(() -> assertThat(indexIds(pipeline)).isEqualTo(expected));
  }

  /**
   * Trajectory ids by workspace in the current snapshot of {@code <namespace>.trajectories}.
   *
   * @throws AssertionError when a trajectory has more than one row: the table must hold each once
   */
  static Map<String, Set<String>> icebergIds(TestPipeline pipeline) {
    Map<String, Set<String>> byWorkspace = new TreeMap<>();
    for (Record row : currentRows(pipeline)) {
      String id = (String) row.getField("trajectory_id");
      boolean first = byWorkspace.computeIfAbsent((String) row.getField("workspace"), w -> new TreeSet<>()).add(id);
      assertThat(first).as("trajectory %s has more than one row in the current snapshot", id).isTrue();
    }
    return byWorkspace;
  }

  /** Trajectory ids by workspace in the trajectories alias, after a refresh: every document, page by page. */
  static Map<String, Set<String>> indexIds(TestPipeline pipeline) throws IOException, InterruptedException {
    String alias = pipeline.servers.openSearchUrl() + "/" + pipeline.indexPrefix + "trajectories";
    send(HttpRequest.newBuilder(URI.create(alias + "/_refresh")).POST(HttpRequest.BodyPublishers.noBody()).build());
    Map<String, Set<String>> byWorkspace = new TreeMap<>();
    JsonNode after = null;
    while (true) {
      ObjectNode query = JSON.createObjectNode();
      query.put("size", PAGE);
      query.putArray("_source").add("workspace").add("trajectory_id");
      query.putArray("sort").add("trajectory_id");
      if (after != null) {
        query.set("search_after", after);
      }
      JsonNode hits = JSON.readTree(send(HttpRequest.newBuilder(URI.create(alias + "/_search"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(query))).build())).path("hits").path("hits");
      for (JsonNode hit : hits) {
        byWorkspace.computeIfAbsent(hit.path("_source").path("workspace").asText(), w -> new TreeSet<>())
            .add(hit.path("_source").path("trajectory_id").asText());
      }
      if (hits.size() < PAGE) {
        return byWorkspace;
      }
      after = hits.get(hits.size() - 1).path("sort");
    }
  }

  /** Every row of the current snapshot (empty when the table has none yet). */
  static java.util.List<Record> currentRows(TestPipeline pipeline) {
    Catalog catalog = pipeline.servers.openIcebergCatalog();
    try {
      Table table = catalog.loadTable(TableIdentifier.of(pipeline.namespace, "trajectories"));
      Snapshot current = table.currentSnapshot();
      java.util.List<Record> rows = new java.util.ArrayList<>();
      if (current == null) {
        return rows;
      }
      try (CloseableIterable<Record> read = IcebergGenerics.read(table).useSnapshot(current.snapshotId()).build()) {
        read.forEach(rows::add);
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (catalog instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          // a read-only catalog handle; nothing was written through it
        }
      }
    }
  }

  private static String send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }
}
