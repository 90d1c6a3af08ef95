package org.trajlake.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** The {@code bench all} report rendered from figures, without any server. */
class SuiteReportTest {
  private static final Instant STARTED = Instant.parse("2026-11-21T10:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dataDir;

  @Test
  void markdownHasATableRowPerFigureWithItsTargetAndWhetherItIsMet() {
    // Given a streams run whose pipeline meets its target and whose ingest alone does not
    SuiteReport report = report(true, streams(15_000, 27_000));

    // When the report is rendered as Markdown
    String markdown = report.markdown();

    // Then each targeted figure is a row with the measured value, the target and the verdict
    assertThat(markdown).contains("| ingest-streams alone (exactly-once) | 15,000 | events/s | ≥ 20,000 events/s | **not met** |")
        .contains("| pipeline: ingest + joiner together | 27,000 | events/s | ≥ 20,000 events/s | **met** |")
        .contains("| streams | pipeline: ingest + joiner together | 27,000 events/s | ≥ 20,000 events/s | **met** |")
        .contains("## Targets: 1 of 2 met")
        .contains("![latencies](latencies.svg)").contains("![throughput](throughput.svg)");
    // And the figures without a target are listed too, with empty target cells
    assertThat(markdown).contains("| broker consume (raw bytes, same data) | 640,000 | events/s |  |  |");
    // And the machine and the parameters are named
    assertThat(markdown).contains("Machine: 2 cores, Test CPU, avx2 fma, reference 1.25 M dot products/s on one core, 24 GiB").contains("`trajectories` 10000");
  }

  @Test
  void markdownSaysWhenTheRunWasScaledDown() {
    SuiteReport report = report(false, streams(15_000, 27_000));

    assertThat(report.markdown()).contains("**Scaled-down run**");
  }

  @Test
  void markdownAndJsonSayWhatWarmedUpUnmeasured() {
    // Given a run that warmed the stack up first
    SuiteReport cold = report(true, streams(15_000, 27_000));
    SuiteReport report = new SuiteReport(cold.started(), cold.finished(), cold.machine(), true,
        "bench streams --trajectories 2000 (9.1 s)", cold.runs());

    // Then both reports name it; a run without one says nothing of it
    assertThat(report.markdown()).contains("Warm-up, not measured: bench streams --trajectories 2000 (9.1 s).");
    assertThat(report.json().path("warm_up").asText()).isEqualTo("bench streams --trajectories 2000 (9.1 s)");
    assertThat(cold.markdown()).doesNotContain("Warm-up");
  }

  @Test
  void aFailedBenchmarkIsReportedWithItsReasonAndItsTargetsHaveNoFigure() {
    // Given a sink benchmark that failed before measuring
    BenchRun failed = new BenchRun("sink", "-", Map.of("cold_interval_s", 10), List.of(), List.of(),
        Duration.ofSeconds(3), Optional.of("IllegalStateException: the sink did not commit | in time"));

    // When the report is rendered
    SuiteReport report = report(true, failed);

    // Then the failure is written (a pipe escaped so the table survives) and no target counts as met
    assertThat(report.markdown()).contains("**Failed**: IllegalStateException: the sink did not commit \\| in time")
        .contains("| sink | cold lag: record written -> in a snapshot, max | - | ≤ 20,000 ms | no figure |");
    assertThat(report.verdicts()).hasSize(4).noneMatch(BenchTargets.Verdict::met);
    assertThat(report.json().path("benchmarks").get(0).path("error").asText()).contains("did not commit");
  }

  @Test
  void jsonCarriesTheSameFiguresTargetsAndDistributions() throws Exception {
    // Given a recall run with its samples
    SuiteReport report = report(true, recall());

    // When the JSON is rendered (and read back as a client would)
    JsonNode json = JSON.readTree(JSON.writeValueAsString(report.json()));

    // Then the targets, the figures and the percentiles of each distribution are there
    assertThat(json.path("full_size").asBoolean()).isTrue();
    assertThat(json.path("machine").path("cpu").asText()).isEqualTo("Test CPU");
    JsonNode hybrid = find(json.path("targets"), "stage", RecallBenchmark.HYBRID_VECTOR + " p95");
    assertThat(hybrid.path("value").asDouble()).isEqualTo(18.5);
    assertThat(hybrid.path("threshold").asDouble()).isEqualTo(30);
    assertThat(hybrid.path("bound").asText()).isEqualTo("at_most");
    assertThat(hybrid.path("met").asBoolean()).isTrue();
    JsonNode ratio = find(json.path("targets"), "stage", RecallBenchmark.HYBRID_OVER_RAW);
    assertThat(ratio.path("status").asText()).isEqualTo("not met");
    JsonNode run = json.path("benchmarks").get(0);
    assertThat(find(run.path("figures"), "stage", RecallBenchmark.BM25 + " p95").has("target")).isFalse();
    JsonNode distribution = find(run.path("latency_distributions"), "name", RecallBenchmark.HYBRID_VECTOR);
    assertThat(distribution.path("count").asInt()).isEqualTo(100);
    assertThat(distribution.path("percentiles_ms").path("p50").asDouble()).isEqualTo(50.0);
    assertThat(distribution.path("percentiles_ms").path("p99.9").asDouble()).isEqualTo(100.0);
  }

  @Test
  void latencyChartIsWellFormedSvgWithPercentileTargetAndDistributionSeries() throws Exception {
    // Given a recall and a freshness run, both with their samples
    SuiteReport report = report(true, recall(), freshness());

    // When the latency chart is drawn
    Document svg = parse(BenchCharts.latencies(report.runs()));

    // Then it is SVG whose legends name the percentile series, the target and each distribution
    assertThat(svg.getDocumentElement().getLocalName()).isEqualTo("svg");
    List<String> texts = texts(svg);
    assertThat(texts).contains("p50", "p95", "p99", "target", "recall: " + RecallBenchmark.HYBRID_VECTOR,
        "freshness: freshness", "recall: " + RecallBenchmark.HYBRID_VECTOR + " (100)", "freshness: freshness (200)");
  }

  @Test
  void throughputChartIsWellFormedSvgWithEachRateBesideItsTarget() throws Exception {
    SuiteReport report = report(true, streams(15_000, 27_000));

    Document svg = parse(BenchCharts.throughput(report.runs()));

    List<String> texts = texts(svg);
    assertThat(texts).contains("measured", "target");
    assertThat(String.join(" ", texts)).contains("pipeline: ingest + joiner together").contains("broker consume");
  }

  @Test
  void writeCreatesTheFourFilesInATimestampedDirectory() throws Exception {
    SuiteReport report = report(true, streams(15_000, 27_000), recall());

    Path dir = report.write(dataDir);

    assertThat(dir).isEqualTo(dataDir.resolve("reports").resolve("2026-11-21T10-00-00Z"));
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder("report.md", "report.json", "latencies.svg", "throughput.svg");
    }
    assertThat(JSON.readTree(dir.resolve("report.json").toFile()).path("benchmarks")).hasSize(2);
  }

  @Test
  void theColdLagTargetFollowsTheCommitInterval() {
    List<BenchTargets.Target> targets = BenchTargets.of("sink", Map.of("cold_interval_s", 60));

    BenchTargets.Target coldLag = targets.stream().filter(t -> t.stage().equals(SinkBenchmark.COLD_LAG_MAX)).findFirst()
        .orElseThrow();
    assertThat(coldLag.threshold()).isEqualTo(70_000);
    assertThat(coldLag.metBy(69_000)).isTrue();
    assertThat(coldLag.metBy(71_000)).isFalse();
  }

  private static SuiteReport report(boolean fullSize, BenchRun... runs) {
    var machine = JSON.createObjectNode();
    machine.put("cores", 2);
    machine.put("cpu", "Test CPU");
    machine.put("vector_extensions", "avx2 fma");
    machine.put("reference_mdot_per_s", 1.25);
    machine.put("memory_gib", 24);
    machine.put("os", "Linux 6.1 amd64");
    machine.put("java", "OpenJDK 17");
    return new SuiteReport(STARTED, STARTED.plusSeconds(600), machine, fullSize, "", List.of(runs));
  }

  private static BenchRun streams(double ingestAlone, double pipeline) {
    List<BenchFigure> figures = List.of(
        new BenchFigure("broker consume (raw bytes, same data)", 640_000, "events/s", "plain consumer"),
        new BenchFigure(StreamsBenchmark.INGEST_ALONE, ingestAlone, "events/s", "sustained"),
        new BenchFigure(StreamsBenchmark.PIPELINE, pipeline, "events/s", "sustained"));
    return new BenchRun("streams", "b1", Map.of("trajectories", 10000), figures, List.of(), Duration.ofSeconds(90),
        Optional.empty());
  }

  private static BenchRun recall() {
    List<LatencySamples> samples = new ArrayList<>();
    List<BenchFigure> figures = new ArrayList<>();
    samples.add(new LatencySamples(RecallBenchmark.HYBRID_VECTOR, ramp(100, 1)));
    samples.add(new LatencySamples(RecallBenchmark.RAW_KNN, ramp(100, 0.3)));
    figures.add(BenchFigure.latency(RecallBenchmark.HYBRID_VECTOR + " p50", 12.5, "100 queries"));
    figures.add(BenchFigure.latency(RecallBenchmark.HYBRID_VECTOR + " p95", 18.5, "100 queries"));
    figures.add(BenchFigure.latency(RecallBenchmark.HYBRID_VECTOR + " p99", 23.0, "100 queries"));
    figures.add(BenchFigure.latency(RecallBenchmark.BM25 + " p95", 15.0, "100 queries"));
    figures.add(new BenchFigure(RecallBenchmark.HYBRID_OVER_RAW, 2.1, "x", "target 1.5 or less"));
    return new BenchRun("recall", "b2", Map.of("trajectories", 100000, "queries", 100), figures, samples,
        Duration.ofSeconds(300), Optional.empty());
  }

  private static BenchRun freshness() {
    List<BenchFigure> figures = List.of(BenchFigure.latency("freshness p50", 517, "200 probes"),
        BenchFigure.latency("freshness p95", 612, "200 probes"),
        new BenchFigure(FreshnessBenchmark.BACKGROUND, 99, "trajectories/s", "8 steps each"));
    return new BenchRun("freshness", "f1", Map.of("probes", 200), figures,
        List.of(new LatencySamples(FreshnessBenchmark.FRESHNESS, ramp(200, 5))), Duration.ofSeconds(60),
        Optional.empty());
  }

  /** {@code count} samples: step, 2 x step, ... */
  private static double[] ramp(int count, double step) {
    double[] millis = new double[count];
    for (int i = 0; i < count; i++) {
      millis[i] = (i + 1) * step;
    }
    return millis;
  }

  private static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode node : array) {
      if (node.path(field).asText().equals(value)) {
        return node;
      }
    }
    throw new AssertionError("no element with " + field + " = " + value + " in " + array);
  }

  /** Parses strictly (a malformed document throws) without fetching the SVG DTD from the network. */
  private static Document parse(String svg) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<String> texts(Document svg) {
    NodeList nodes = svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      texts.add(nodes.item(i).getTextContent().trim());
    }
    return texts;
  }
}
