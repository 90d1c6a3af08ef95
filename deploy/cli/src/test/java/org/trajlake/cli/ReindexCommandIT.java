package org.trajlake.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.opensearch.client.transport.OpenSearchTransport;
import org.trajlake.recall.embed.OnnxEmbedder;
import org.trajlake.recall.index.IndexAdmin;
import org.trajlake.recall.index.IndexNames;
import org.trajlake.recall.index.OpenSearchClients;
import org.trajlake.recall.index.OpenSearchSettings;
import org.trajlake.recall.index.TextAnalysis;
import org.trajlake.recall.index.TrajectoryDocuments;
import org.trajlake.recall.index.VectorGraph;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;

/** {@code trajlake reindex} against a real OpenSearch node: what it plans, refuses and rebuilds. */
@RealServers(Component.OPENSEARCH)
class ReindexCommandIT {
  @Test
  void plansThenRebuildsIndexesMadeWithTheStandardAnalyzerAndThenHasNothingLeftToDo(Endpoints servers)
      throws Exception {
    // Given indexes made with the standard analyzer, as before code analysis was the default, holding 3 trajectories
    IndexNames names = new IndexNames("it-reindex-" + System.nanoTime() + "-");
    standardIndexes(servers, names);
    bulk(servers, names.trajectories(), 3);

    // When the rebuild is planned, then it says what would change and changes nothing
    CliRun dryRun = reindex(servers, names, "--dry-run");
    assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
    assertThat(dryRun.out()).contains(names.trajectories() + "-000001, 3 documents")
        .contains("text analysis standard -> code").contains("would rebuild into " + names.trajectories() + "-000002")
        .contains(names.steps() + "-000001, 0 documents");
    assertThat(aliases(servers, names)).contains(names.trajectories() + "-000001");

    // When derived source would turn on beside a possibly running indexer, then it is refused, naming the way
    CliRun derived = reindex(servers, names, "--set", "index.knn.derived.source=true");
    assertThat(derived.exitCode()).isEqualTo(1);
    assertThat(derived.err()).contains("index.knn.derived.source turns on").contains("--indexer-stopped");
    assertThat(aliases(servers, names)).contains(names.trajectories() + "-000001");

    // When it runs (its copy held to 100 documents a second), then both aliases move to a new index analysed as
    // code, holding every document
    CliRun rebuilt = reindex(servers, names, "--docs-per-second", "100");
    assertThat(rebuilt.exitCode()).as(rebuilt.err()).isZero();
    assertThat(rebuilt.out()).contains("rebuilt into " + names.trajectories() + "-000002")
        .contains("3 documents behind the alias; deleted " + names.trajectories() + "-000001")
        .contains("rebuilt into " + names.steps() + "-000002");
    assertThat(aliases(servers, names)).contains(names.trajectories() + "-000002").contains(names.steps() + "-000002")
        .doesNotContain("-000001");

    // And a second run finds nothing to do, unless forced; a bad --alias or rate is refused
    CliRun again = reindex(servers, names);
    assertThat(again.out()).contains("already as configured").doesNotContain("rebuilt into");
    CliRun forced = reindex(servers, names, "--alias", "trajectories", "--force", "--keep-old");
    assertThat(forced.out()).contains("rebuilt into " + names.trajectories() + "-000003")
        .contains("kept " + names.trajectories() + "-000002").doesNotContain(names.steps());
    assertThat(reindex(servers, names, "--alias", "everything").err()).contains("--alias must be trajectories, steps or all");
    assertThat(reindex(servers, names, "--docs-per-second", "-5").err())
        .contains("--docs-per-second must be 0 (no limit) or more, was -5.0");
    try (OpenSearchTransport transport = transport(servers, names)) {
      new IndexAdmin(transport, names).deleteAll();
    }
    HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(servers.openSearchUrl() + "/"
        + names.trajectories() + "-000002")).DELETE().build(), HttpResponse.BodyHandlers.discarding());
  }

  @Test
  void stopsOnSigtermCancellingTheCopyAndLeavingTheAliasWhereItWas(Endpoints servers) throws Exception {
    // Given indexes holding 1,500 trajectories, and the distribution's trajlake rebuilding them at 100 a second
    IndexNames names = new IndexNames("it-reindex-stop-" + System.nanoTime() + "-");
    standardIndexes(servers, names);
    bulk(servers, names.trajectories(), 1500);
    Path output = Files.createTempFile("reindex-stop-", ".out");
    Process process = new ProcessBuilder(Path.of("target", "trajlake", "bin", "trajlake").toAbsolutePath().toString(),
        "reindex", "--alias", "trajectories", "--docs-per-second", "100",
        "--set", "opensearch.url=" + servers.openSearchUrl(), "--set", "index.prefix=" + names.prefix())
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> !process.isAlive()
          || indices(servers, names).contains(names.trajectories() + "-000002"));
      assertThat(process.isAlive()).as(Files.readString(output)).isTrue();
      Thread.sleep(1000);

      // When it is sent SIGTERM while the copy runs
      process.destroy();

      // Then it stops within seconds, saying the copy was cancelled and where the alias still points
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String printed = Files.readString(output);
      assertThat(process.exitValue()).as(printed).isNotZero();
      assertThat(printed).contains("stopped: the copy of " + names.trajectories() + " was cancelled at")
          .contains(names.trajectories() + "-000002 deleted; " + names.trajectories() + " still points at "
              + names.trajectories() + "-000001");
    } finally {
      process.destroyForcibly();
      Files.deleteIfExists(output);
    }
    // And nothing is left behind: no new index (not even one a last batch would make again), no copy running
    Thread.sleep(2000);
    assertThat(aliases(servers, names)).contains(names.trajectories() + "-000001");
    assertThat(indices(servers, names)).doesNotContain(names.trajectories() + "-000002");
    assertThat(get(servers, "/_tasks?actions=*reindex&detailed")).doesNotContain(names.trajectories());
    try (OpenSearchTransport transport = transport(servers, names)) {
      new IndexAdmin(transport, names).deleteAll();
    }
  }

  /** The aliases and first indexes, made with the standard analyzer as before code analysis was the default. */
  private static void standardIndexes(Endpoints servers, IndexNames names) {
    try (OpenSearchTransport transport = transport(servers, names)) {
      new IndexAdmin(transport, names).ensure(OnnxEmbedder.DEFAULT_MODEL, 384,
          new IndexAdmin.IndexSettings(1, 0, "1s", false, VectorGraph.DEFAULT, TextAnalysis.STANDARD),
          new TrajectoryDocuments(32));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static OpenSearchTransport transport(Endpoints servers, IndexNames names) {
    return OpenSearchClients.transport(new OpenSearchSettings.Connection(servers.openSearchUrl(), "", "", names.prefix()));
  }

  private static CliRun reindex(Endpoints servers, IndexNames names, String... more) {
    List<String> args = new ArrayList<>(List.of("reindex", "--set", "opensearch.url=" + servers.openSearchUrl(),
        "--set", "index.prefix=" + names.prefix()));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  /** {@code count} trajectories with external versions, as the indexer writes them. */
  private static void bulk(Endpoints servers, String alias, int count) throws Exception {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < count; i++) {
      body.append("{\"index\":{\"_index\":\"").append(alias).append("\",\"_id\":\"t").append(i)
          .append("\",\"version\":1,\"version_type\":\"external\"}}\n")
          .append("{\"trajectory_id\":\"t").append(i).append("\",\"workspace\":\"team-a\",")
          .append("\"summary\":\"PaymentServiceTest.testRefundFlow fails\"}\n");
    }
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(servers.openSearchUrl() + "/_bulk?refresh=true")).header("Content-Type", "application/x-ndjson")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.body()).contains("\"errors\":false");
  }

  private static String aliases(Endpoints servers, IndexNames names) throws Exception {
    return get(servers, "/_cat/aliases/" + names.prefix() + "*?h=alias,index");
  }

  private static String indices(Endpoints servers, IndexNames names) throws Exception {
    return get(servers, "/_cat/indices/" + names.prefix() + "*?h=index");
  }

  private static String get(Endpoints servers, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(servers.openSearchUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
