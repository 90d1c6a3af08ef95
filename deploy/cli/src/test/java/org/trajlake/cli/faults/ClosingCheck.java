package org.trajlake.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * sets of ids (a set of counts could hide one lost and one extra).
 */
final class ClosingCheck {
  private static final Pattern COUNT = Pattern.compile("\"count\"\\s*:\\s*(\\d+)");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ClosingCheck() {}

  /** Waits up to {@code timeout} for both stores to hold exactly {@code produced}, workspace by workspace. */
  static void awaitEverywhere(TestPipeline pipeline, Map<String, Set<String>> produced, Duration timeout) {
    Map<String, Set<String>> expected = new TreeMap<>(produced);
    await("the Iceberg snapshot holds exactly the trajectories produced, per workspace").atMost(timeout)
        .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
        .untilAsserted(() -> assertThat(icebergIds(pipeline)).isEqualTo(expected));
    await("the OpenSearch index holds exactly the trajectories produced, per workspace").atMost(timeout)
        .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
        .untilAsserted(() -> {
          for (Map.Entry<String, Set<String>> workspace : expected.entrySet()) {
            assertThat(indexCount(pipeline, workspace.getKey())).as(workspace.getKey())
                .isEqualTo(workspace.getValue().size());
          }
        });
    // The counts agree; the ids in the index are those of the table (a second look, no waiting).
    assertThat(icebergIds(pipeline)).isEqualTo(expected);
  }

  /** Trajectory ids by workspace in the current snapshot of {@code <namespace>.trajectories}. */
  static Map<String, Set<String>> icebergIds(TestPipeline pipeline) {
    Map<String, Set<String>> byWorkspace = new TreeMap<>();
    for (Record row : currentRows(pipeline)) {
      byWorkspace.computeIfAbsent((String) row.getField("workspace"), w -> new TreeSet<>())
          .add((String) row.getField("trajectory_id"));
    }
    return byWorkspace;
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

  /** Documents of {@code workspace} in the trajectories alias, after a refresh. */
  static long indexCount(TestPipeline pipeline, String workspace) throws IOException, InterruptedException {
    String alias = pipeline.servers.openSearchUrl() + "/" + pipeline.indexPrefix + "trajectories";
    send(HttpRequest.newBuilder(URI.create(alias + "/_refresh")).POST(HttpRequest.BodyPublishers.noBody()).build());
    String query = "{\"query\":{\"term\":{\"workspace\":" + json(workspace) + "}}}";
    String body = send(HttpRequest.newBuilder(URI.create(alias + "/_count")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(query)).build());
    Matcher count = COUNT.matcher(body);
    if (!count.find()) {
      throw new IllegalStateException("no count in " + body);
    }
    return Long.parseLong(count.group(1));
  }

  private static String send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  private static String json(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
