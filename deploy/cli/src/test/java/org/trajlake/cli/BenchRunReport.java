package org.trajlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.kafka.clients.admin.Admin;
import org.trajlake.sink.CatalogSettings;
import org.trajlake.stack.Endpoints;
import org.trajlake.stack.LocalStack;
import org.trajlake.testkit.FreshStackConfig;
import org.trajlake.testkit.TestKafka;

/** The JSON report of one {@code trajlake bench <name>} run, read from where the run said it wrote it. */
record BenchRunReport(String runId, Map<String, JsonNode> figures) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REPORT = Pattern.compile("report: (\\S+\\.json)");

  /** Runs {@code trajlake <command>} against the test's stack and reads the report of the run. */
  static BenchRunReport run(LocalStack stack, String... command) throws IOException {
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(FreshStackConfig.flags(stack.config()));
    return of(CliRun.of(args.toArray(String[]::new)));
  }

  static BenchRunReport of(CliRun run) throws IOException {
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    Matcher report = REPORT.matcher(run.out());
    assertThat(report.find()).as(run.out()).isTrue();
    JsonNode json = JSON.readTree(Path.of(report.group(1)).toFile());
    Map<String, JsonNode> figures = new LinkedHashMap<>();
    json.path("figures").forEach(figure -> figures.put(figure.path("stage").asText(), figure));
    return new BenchRunReport(json.path("run").asText(), figures);
  }

  /** The figure of {@code stage}, failing with the stages there are when it is missing. */
  JsonNode figure(String stage) {
    assertThat(figures).as("figures of run " + runId).containsKey(stage);
    return figures.get(stage);
  }

  double value(String stage) {
    return figure(stage).path("value").asDouble();
  }

  String note(String stage) {
    return figure(stage).path("note").asText();
  }

  /** Asserts that no index and no index template named {@code bench-<run>-*} is left in OpenSearch. */
  void assertNoIndexOrTemplateLeft(Endpoints servers) throws Exception {
    for (String listing : List.of("indices", "templates")) {
      String url = servers.openSearchUrl() + "/_cat/" + listing + "/bench-" + runId + "-*?h="
          + (listing.equals("indices") ? "index" : "name");
      HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(listing).isEqualTo(200);
      assertThat(answer.body().strip()).as(listing + " left by run " + runId).isEmpty();
    }
  }

  /** Asserts that every topic whose name starts with {@code prefix} is gone, waiting out an asynchronous delete. */
  static void assertNoTopicLeft(Endpoints servers, String prefix) throws Exception {
    try (Admin admin = TestKafka.admin(servers.bootstrapServers())) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      List<String> left;
      do {
        left = admin.listTopics().names().get().stream().filter(name -> name.startsWith(prefix)).toList();
        if (!left.isEmpty()) {
          Thread.sleep(200);
        }
      } while (!left.isEmpty() && System.nanoTime() < deadline);
      assertThat(left).as("topics " + prefix + "*").isEmpty();
    }
  }

  /** Neither the catalog nor the local warehouse holds anything of {@code namespace}. */
  static void assertNoNamespaceLeft(Endpoints servers, String namespace) throws Exception {
    Catalog catalog = CatalogSettings.forDataDir(servers.dataDir()).open();
    try {
      assertThat(((SupportsNamespaces) catalog).namespaceExists(Namespace.of(namespace))).as("namespace " + namespace)
          .isFalse();
    } finally {
      if (catalog instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
    assertThat(Files.exists(servers.dataDir().resolve("warehouse").resolve(namespace))).as("warehouse/" + namespace)
        .isFalse();
  }
}
