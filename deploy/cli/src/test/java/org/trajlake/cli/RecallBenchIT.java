package org.trajlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.trajlake.cli.bench.RecallBenchmark;
import org.trajlake.stack.Component;
import org.trajlake.stack.LocalStack;
import org.trajlake.testkit.FreshStackConfig;
import org.trajlake.testkit.RealServers;

/**
 * {@code trajlake bench recall} on a real OpenSearch node, at a small size: every case measured,
 * sequentially and under load, written to the JSON report, and the benchmark's indexes and index templates removed.
 */
@RealServers(Component.OPENSEARCH)
class RecallBenchIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int QUERIES = 40;
  private static final int CLIENTS = 4;

  @Test
  void measuresEveryCaseAloneAndUnderLoadAndReportsThem(LocalStack stack) throws Exception {
    // When the benchmark runs against the running node with a small corpus
    List<String> args = new ArrayList<>(List.of("bench", "recall", "--trajectories", "600", "--queries",
        String.valueOf(QUERIES), "--clients", String.valueOf(CLIENTS)));
    args.addAll(FreshStackConfig.flags(stack.config()));
    CliRun run = CliRun.of(args.toArray(String[]::new));

    // Then it succeeds, and its report holds every case with every query answered
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    Matcher report = Pattern.compile("report: (\\S+\\.json)").matcher(run.out());
    assertThat(report.find()).as(run.out()).isTrue();
    JsonNode json = JSON.readTree(Path.of(report.group(1)).toFile());
    Map<String, JsonNode> figures = new HashMap<>();
    json.path("figures").forEach(figure -> figures.put(figure.path("stage").asText(), figure));
    for (String name : List.of(RecallBenchmark.RAW_KNN, RecallBenchmark.HYBRID_VECTOR, RecallBenchmark.HYBRID_TEXT,
        RecallBenchmark.BM25, RecallBenchmark.VECTOR)) {
      assertThat(figures.get(name + " p95").path("value").asDouble()).as(name).isPositive();
      assertThat(figures.get(name + " p95").path("note").asText()).as(name).startsWith(QUERIES + " queries");
    }
    for (String name : List.of(RecallBenchmark.RAW_KNN, RecallBenchmark.HYBRID_VECTOR, RecallBenchmark.HYBRID_TEXT)) {
      String stage = RecallBenchmark.underLoadStage(name, CLIENTS);
      assertThat(figures.get(stage).path("unit").asText()).as(stage).isEqualTo("queries/s");
      assertThat(figures.get(stage).path("value").asDouble()).as(stage).isPositive();
      assertThat(figures.get(stage).path("note").asText()).as(stage).startsWith(QUERIES + " queries in");
      assertThat(figures.get(stage + " p95").path("value").asDouble()).as(stage)
          .isGreaterThanOrEqualTo(figures.get(stage + " p50").path("value").asDouble());
    }
    // the graph found the exact neighbours of a corpus this small
    assertThat(figures.get(RecallBenchmark.KNN_RECALL).path("value").asDouble()).isGreaterThan(95.0);
    // and its indexes and their templates are gone
    for (String listing : List.of("indices", "templates")) {
      String left = stack.endpoints().openSearchUrl() + "/_cat/" + listing + "/bench-" + json.path("run").asText()
          + "-*?h=" + (listing.equals("indices") ? "index" : "name");
      HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(left)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(listing).isEqualTo(200);
      assertThat(answer.body().strip()).as(listing).isEmpty();
    }
  }
}
