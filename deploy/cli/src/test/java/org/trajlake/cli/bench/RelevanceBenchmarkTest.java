package org.trajlake.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.trajlake.recall.indexer.EmbeddingModelBenchmark.Task;

class RelevanceBenchmarkTest {
  @Test
  void asksByTheTwoLongestIdentifiersOfTheTask() {
    // Given a task naming a test, a method and a plain word with a full stop after it
    String task = "PaymentServiceTest.testRefundFlow intermittently fails on CI with a 5s timeout while waiting on the "
        + "mocked Stripe client; make the mock respond deterministically and remove the Thread.sleep calls.";

    // Then the request is the two identifiers, longest first, and no sentence-ending word
    assertThat(RelevanceBenchmark.identifiers(task)).isEqualTo("PaymentServiceTest.testRefundFlow Thread.sleep");
  }

  @Test
  void countsErrorCodesCamelCaseAndSnakeCaseAsIdentifiers() {
    assertThat(RelevanceBenchmark.identifiers("suites randomly fail with EADDRINUSE on port 3000"))
        .isEqualTo("EADDRINUSE");
    assertThat(RelevanceBenchmark.identifiers("the config no longer compiles without WebSecurityConfigurerAdapter."))
        .isEqualTo("WebSecurityConfigurerAdapter");
    assertThat(RelevanceBenchmark.identifiers("test_daily_report_range fails before (midnight) UTC"))
        .isEqualTo("test_daily_report_range");
  }

  @Test
  void asksNothingOfATaskThatNamesNoIdentifier() {
    assertThat(RelevanceBenchmark.identifiers("Make the checkout page load faster on slow phones.")).isEmpty();
  }

  @Test
  void aMixedRequestIsTheRequestInOtherWordsThenTheIdentifiers() {
    // Given a task naming an error code, and one naming none
    Task named = new Task("ports", "port-clash", "suites randomly fail with EADDRINUSE on port 3000",
        "parallel test runs collide on a socket");
    Task unnamed = new Task("speed", "slow-checkout", "Make the checkout page load faster on slow phones.",
        "the payment screen is sluggish on mobile");

    // Then each kind asks its way, and a mixed request needs an identifier to be asked at all
    assertThat(RelevanceBenchmark.Requests.PARAPHRASE.of(named)).isEqualTo("parallel test runs collide on a socket");
    assertThat(RelevanceBenchmark.Requests.IDENTIFIERS.of(named)).isEqualTo("EADDRINUSE");
    assertThat(RelevanceBenchmark.Requests.MIXED.of(named)).isEqualTo("parallel test runs collide on a socket EADDRINUSE");
    assertThat(RelevanceBenchmark.Requests.MIXED.of(unnamed)).isEmpty();
    assertThat(RelevanceBenchmark.Requests.WORDS.of(unnamed)).isEmpty();
  }

  @Test
  void aWordsRequestWritesTheIdentifiersOutAsWords() {
    // Given identifiers in camel case, joined by dots, underscores, slashes and an error code
    String identifiers = "PaymentServiceTest.testRefundFlow Thread.sleep";

    // Then each is split at case changes and punctuation, lower-cased, every word once
    assertThat(RelevanceBenchmark.words(identifiers)).isEqualTo("payment service test refund flow thread sleep");
    assertThat(RelevanceBenchmark.words("reports/tests/test_summary.py HTTPServerError"))
        .isEqualTo("reports tests test summary py http server error");
    assertThat(RelevanceBenchmark.words("--maxWorkers=4 EADDRINUSE")).isEqualTo("max workers eaddrinuse");
  }

  @Test
  void ranksATrajectoryByItsPlaceInTheAnswer() throws Exception {
    var answer = new ObjectMapper().readTree(
        "{\"trajectories\": [{\"trajectory_id\": \"a\"}, {\"trajectory_id\": \"b\"}, {\"trajectory_id\": \"c\"}]}");
    assertThat(RelevanceBenchmark.rankOf(answer, "a")).isEqualTo(1);
    assertThat(RelevanceBenchmark.rankOf(answer, "c")).isEqualTo(3);
    assertThat(RelevanceBenchmark.rankOf(answer, "z")).isZero();
  }
}
