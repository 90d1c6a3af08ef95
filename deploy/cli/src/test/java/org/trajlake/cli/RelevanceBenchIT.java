package org.trajlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.trajlake.cli.bench.RelevanceBenchmark;
import org.trajlake.stack.Component;
import org.trajlake.stack.LocalStack;
import org.trajlake.testkit.RealServers;

/**
 * {@code trajlake bench relevance} on a real OpenSearch node with the built-in set of 120 coding
 * tasks: every mode scored over every request through the recall service, and the benchmark's
 * indexes and index templates removed.
 */
@RealServers(Component.OPENSEARCH)
class RelevanceBenchIT {
  @Test
  void scoresEveryModeOverEveryRequest(LocalStack stack) throws Exception {
    // When the benchmark runs on the built-in set
    BenchRunReport report = BenchRunReport.run(stack, "bench", "relevance");

    // Then each mode is scored over all 120 requests
    for (String mode : RelevanceBenchmark.MODES) {
      String top1 = mode + ", top-1";
      String top5 = mode + ", top-5";
      String reciprocalRank = mode + ", mean reciprocal rank";
      assertThat(report.note(top1)).as(top1).startsWith("120 requests (paraphrase) against 120 tasks");
      assertThat(report.value(top5)).as(top5).isBetween(report.value(top1), 100.0);
      assertThat(report.value(reciprocalRank)).as(reciprocalRank).isBetween(report.value(top1), 100.0);
      // the set's requests share words and meaning with their tasks: every mode finds most of them
      assertThat(report.value(top5)).as(top5).isGreaterThan(60.0);
    }
    // and hybrid, fusing each leg's top 10, finds nearly as many in its top 5 as the vector leg it
    // rests on (at a window of 20, middling BM25 matches pushed the task out for 16% of the requests)
    assertThat(report.value("hybrid, top-5")).isGreaterThan(90.0);
    // and ranks as many first as the vector leg within a request or two: its BM25 leg ranks only
    // trajectories holding most of a request's terms (matching any term, it lost 18 points here)
    assertThat(report.value("hybrid, top-1")).isGreaterThanOrEqualTo(report.value("vector, top-1") - 2.0);
    // and its indexes and their templates are gone
    report.assertNoIndexOrTemplateLeft(stack.endpoints());
  }

  @Test
  void asksByIdentifiersOnlyTheTasksThatNameOne(LocalStack stack) throws Exception {
    // When the benchmark asks by the identifiers each task's text names
    BenchRunReport report = BenchRunReport.run(stack, "bench", "relevance", "--requests", "identifiers");

    // Then the tasks that name one are asked (99 of the built-in 120), and exact names are what BM25 finds
    for (String mode : RelevanceBenchmark.MODES) {
      assertThat(report.note(mode + ", top-1")).as(mode).startsWith("99 requests (identifiers) against 120 tasks");
    }
    assertThat(report.value("bm25, top-5")).isGreaterThan(90.0);
    assertThat(report.value("hybrid, top-5")).isGreaterThan(90.0);
    // and hybrid, its BM25 leg requiring both of two identifiers, ranks at least as many first as BM25 mode
    assertThat(report.value("hybrid, top-1")).isGreaterThanOrEqualTo(report.value("bm25, top-1"));
    report.assertNoIndexOrTemplateLeft(stack.endpoints());
  }

  @Test
  void asksInOtherWordsAndByIdentifiersAtOnce(LocalStack stack) throws Exception {
    // When the benchmark asks by the request in other words followed by the task's identifiers
    BenchRunReport report = BenchRunReport.run(stack, "bench", "relevance", "--requests", "mixed");

    // Then the 99 tasks that name one are asked, and hybrid finds nearly all in its top 5
    assertThat(report.note("hybrid, top-1")).startsWith("99 requests (mixed) against 120 tasks");
    assertThat(report.value("hybrid, top-5")).isGreaterThan(95.0);
    report.assertNoIndexOrTemplateLeft(stack.endpoints());
  }

  @Test
  void findsIdentifiersWrittenOutAsWordsThroughCodeAnalysis(LocalStack stack) throws Exception {
    // When the benchmark asks by the identifiers written as words (payment service test refund flow), on
    // indexes analysed as code (the default) and on indexes analysed by OpenSearch's standard analyzer
    BenchRunReport code = BenchRunReport.run(stack, "bench", "relevance", "--requests", "words");
    BenchRunReport standard = BenchRunReport.run(stack, "bench", "relevance", "--requests", "words",
        "--set", "index.text.analysis=standard");

    // Then the 99 tasks that name one are asked, and with code analysis BM25 finds the words inside the
    // identifiers (93.9% first, measured) where the standard analyzer, keeping each identifier whole, does
    // not (45.5%), and hybrid gains with it (91.9% against 69.7%)
    assertThat(code.note("bm25, top-1")).startsWith("99 requests (words) against 120 tasks");
    assertThat(code.value("bm25, top-1")).isGreaterThan(85.0);
    assertThat(code.value("hybrid, top-1")).isGreaterThan(85.0);
    assertThat(standard.value("bm25, top-1")).isLessThan(60.0);
    assertThat(standard.value("hybrid, top-1")).isLessThan(code.value("hybrid, top-1"));
    code.assertNoIndexOrTemplateLeft(stack.endpoints());
  }
}
