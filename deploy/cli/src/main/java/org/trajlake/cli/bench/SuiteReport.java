package org.trajlake.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The report of {@code trajlake bench all}: one directory per run under {@code <data-dir>/reports/}
 * with {@code report.md} (machine, parameters, a table per benchmark, the charts),
 * {@code report.json} (the same data) and the two charts. Rendering needs no server: the tests
 * build one from figures.
 *
 * @param started when the suite started
 * @param finished when it finished
 * @param machine where it ran ({@link BenchReport#machine()})
 * @param fullSize whether every benchmark ran at the issues' sizes (the defaults)
 * @param warmUp what ran, unmeasured, before the benchmarks (empty for nothing)
 * @param runs the benchmarks, in the order they ran
 */
public record SuiteReport(Instant started, Instant finished, ObjectNode machine, boolean fullSize, String warmUp,
    List<BenchRun> runs) {
  public static final String MARKDOWN = "report.md";
  public static final String JSON_FILE = "report.json";
  public static final String LATENCY_CHART = "latencies.svg";
  public static final String THROUGHPUT_CHART = "throughput.svg";
  /** The percentiles written for each latency distribution in the JSON report. */
  static final double[] PERCENTILES = {1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9, 100};
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter DIRECTORY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  public SuiteReport {
    started = started.truncatedTo(ChronoUnit.SECONDS);
    finished = finished.truncatedTo(ChronoUnit.SECONDS);
    runs = List.copyOf(runs);
  }

  /** Every target of every benchmark that ran, against its figure. */
  public List<BenchTargets.Verdict> verdicts() {
    List<BenchTargets.Verdict> verdicts = new ArrayList<>();
    runs.forEach(run -> verdicts.addAll(run.verdicts()));
    return verdicts;
  }

  /** Writes the four files into {@code <data-dir>/reports/<started>/} and returns that directory. */
  public Path write(Path dataDir) throws IOException {
    Path dir = dataDir.resolve("reports").resolve(DIRECTORY.format(started));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(LATENCY_CHART), BenchCharts.latencies(runs), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve(THROUGHPUT_CHART), BenchCharts.throughput(runs), StandardCharsets.UTF_8);
    JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(JSON_FILE).toFile(), json());
    Files.writeString(dir.resolve(MARKDOWN), markdown(), StandardCharsets.UTF_8);
    return dir;
  }

  public String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# trajlake bench all, ").append(started).append("\n\n");
    md.append("Machine: ").append(BenchReport.describe(machine)).append(".  \n");
    md.append(String.format(Locale.ROOT, "Ran %s to %s (%.1f min).", started, finished,
        (finished.toEpochMilli() - started.toEpochMilli()) / 60_000.0));
    md.append(fullSize ? " Sizes: the issues' (the defaults)."
        : " **Scaled-down run**: sizes below the issues', so the figures are not measurements of the targets.");
    md.append(warmUp.isEmpty() ? "\n\n" : "  \nWarm-up, not measured: " + warmUp + ".\n\n");

    List<BenchTargets.Verdict> verdicts = verdicts();
    long met = verdicts.stream().filter(BenchTargets.Verdict::met).count();
    md.append("## Targets: ").append(met).append(" of ").append(verdicts.size()).append(" met\n\n");
    md.append("| benchmark | figure | measured | target | met |\n|---|---|---|---|---|\n");
    for (BenchTargets.Verdict verdict : verdicts) {
      md.append("| ").append(verdict.benchmark()).append(" | ").append(cell(verdict.target().stage())).append(" | ")
          .append(verdict.figure().map(f -> number(f.value()) + " " + f.unit()).orElse("-")).append(" | ")
          .append(verdict.target().text()).append(" | ").append(bold(verdict.status())).append(" |\n");
    }
    md.append("\n![latencies](").append(LATENCY_CHART).append(")\n\n![throughput](").append(THROUGHPUT_CHART)
        .append(")\n");

    for (BenchRun run : runs) {
      md.append("\n## ").append(run.benchmark()).append("\n\n");
      md.append("Run `").append(run.runId()).append("`, ")
          .append(String.format(Locale.ROOT, "%.1f s", run.elapsed().toMillis() / 1000.0)).append("; parameters: ")
          .append(parameters(run.parameters())).append(".\n\n");
      run.error().ifPresent(error -> md.append("**Failed**: ").append(cell(error)).append("\n\n"));
      if (!run.figures().isEmpty()) {
        md.append("| figure | value | unit | target | met | how |\n|---|---:|---|---|---|---|\n");
        List<BenchTargets.Verdict> runVerdicts = run.verdicts();
        for (BenchFigure figure : run.figures()) {
          Optional<BenchTargets.Verdict> verdict = runVerdicts.stream()
              .filter(v -> v.target().stage().equals(figure.stage())).findFirst();
          md.append("| ").append(cell(figure.stage())).append(" | ").append(number(figure.value())).append(" | ")
              .append(figure.unit()).append(" | ").append(verdict.map(v -> v.target().text()).orElse(""))
              .append(" | ").append(verdict.map(v -> bold(v.status())).orElse("")).append(" | ")
              .append(cell(figure.note())).append(" |\n");
        }
      }
      if (!run.samples().isEmpty()) {
        md.append("\nDistributions (ms):\n\n| samples of | count | p50 | p90 | p95 | p99 | max |\n"
            + "|---|---:|---:|---:|---:|---:|---:|\n");
        for (LatencySamples samples : run.samples()) {
          md.append("| ").append(cell(samples.name())).append(" | ").append(samples.count());
          for (double p : new double[] {50, 90, 95, 99, 100}) {
            md.append(" | ").append(number(samples.percentile(p)));
          }
          md.append(" |\n");
        }
      }
    }
    return md.toString();
  }

  public ObjectNode json() {
    ObjectNode report = JSON.createObjectNode();
    report.put("started", started.toString());
    report.put("finished", finished.toString());
    report.set("machine", machine);
    report.put("full_size", fullSize);
    report.put("warm_up", warmUp);
    ArrayNode targets = report.putArray("targets");
    for (BenchTargets.Verdict verdict : verdicts()) {
      ObjectNode row = targets.addObject();
      row.put("benchmark", verdict.benchmark());
      target(row, verdict);
      verdict.figure().ifPresent(f -> put(row, "value", f.value()));
    }
    ArrayNode benchmarks = report.putArray("benchmarks");
    for (BenchRun run : runs) {
      ObjectNode node = benchmarks.addObject();
      node.put("benchmark", run.benchmark());
      node.put("run", run.runId());
      node.put("elapsed_s", run.elapsed().toMillis() / 1000.0);
      node.set("parameters", JSON.valueToTree(run.parameters()));
      run.error().ifPresent(error -> node.put("error", error));
      List<BenchTargets.Verdict> runVerdicts = run.verdicts();
      ArrayNode figures = node.putArray("figures");
      for (BenchFigure figure : run.figures()) {
        ObjectNode row = figures.addObject();
        row.put("stage", figure.stage());
        put(row, "value", figure.value());
        row.put("unit", figure.unit());
        row.put("note", figure.note());
        runVerdicts.stream().filter(v -> v.target().stage().equals(figure.stage())).findFirst()
            .ifPresent(v -> target(row.putObject("target"), v));
      }
      ArrayNode distributions = node.putArray("latency_distributions");
      for (LatencySamples samples : run.samples()) {
        ObjectNode row = distributions.addObject();
        row.put("name", samples.name());
        row.put("count", samples.count());
        ObjectNode percentiles = row.putObject("percentiles_ms");
        for (double p : PERCENTILES) {
          put(percentiles, p == Math.rint(p) ? "p" + (int) p : "p" + p, samples.percentile(p));
        }
      }
    }
    return report;
  }

  private static void target(ObjectNode row, BenchTargets.Verdict verdict) {
    BenchTargets.Target target = verdict.target();
    row.put("stage", target.stage());
    row.put("bound", target.bound() == BenchTargets.Bound.AT_LEAST ? "at_least" : "at_most");
    row.put("threshold", target.threshold());
    row.put("unit", target.unit());
    row.put("source", target.source());
    row.put("status", verdict.status());
    row.put("met", verdict.met());
  }

  private static String parameters(Map<String, Object> parameters) {
    List<String> parts = new ArrayList<>();
    parameters.forEach((key, value) -> parts.add("`" + key + "` " + value));
    return parts.isEmpty() ? "none" : String.join(", ", parts);
  }

  private static String number(double value) {
    if (Double.isNaN(value)) {
      return "-";
    }
    return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%,.0f", value)
        : String.format(Locale.ROOT, "%,.2f", value);
  }

  /** Two decimals; null for a figure that could not be computed (JSON has no NaN). */
  private static void put(ObjectNode node, String key, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      node.putNull(key);
    } else {
      node.put(key, Math.round(value * 100) / 100.0);
    }
  }

  private static String bold(String status) {
    return "no figure".equals(status) ? status : "**" + status + "**";
  }

  /** Pipes and line breaks would end a table cell. */
  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
