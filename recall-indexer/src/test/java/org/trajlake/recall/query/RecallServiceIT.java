package org.trajlake.recall.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.trajlake.recall.Corpus.CLOCK;
import static org.trajlake.recall.Corpus.INVOICE;
import static org.trajlake.recall.Corpus.JACKSON;
import static org.trajlake.recall.Corpus.NPE;
import static org.trajlake.recall.Corpus.README;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.trajlake.recall.Corpus;
import org.trajlake.recall.InvalidRequestException;
import org.trajlake.recall.RecallConfig;
import org.trajlake.recall.RecallFilters;
import org.trajlake.recall.RecallFixtures;
import org.trajlake.recall.RecallMode;
import org.trajlake.recall.RecallRequest;
import org.trajlake.recall.RecallResult;
import org.trajlake.recall.RecallService;
import org.trajlake.recall.RecallUnavailableException;
import org.trajlake.recall.RecalledToolCall;
import org.trajlake.recall.RecalledTrajectory;
import org.trajlake.recall.StepRecallRequest;
import org.trajlake.recall.index.TextAnalysis;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;

/** Hybrid recall against a real OpenSearch node: what comes back, ranked how, narrowed by which filters. */
@RealServers(Component.OPENSEARCH)
class RecallServiceIT {
  private static final String WORKSPACE = "team-a";
  private static String openSearchUrl;
  private static RecallFixtures.TestIndex index;
  private static RecallService service;

  @BeforeAll
  static void indexOneTeamsMemory(Endpoints servers) {
    openSearchUrl = servers.openSearchUrl();
    index = new RecallFixtures.TestIndex(openSearchUrl, "service");
    index.write(Corpus.team(WORKSPACE, ""));
    service = index.service(Map.of());
  }

  @AfterAll
  static void close() throws Exception {
    index.close();
  }

  @Test
  void hybridFindsAnEarlierTaskByParaphrase() {
    // When a new task is described in other words than the earlier one
    RecallResult result = service.recall(RecallRequest.builder(WORKSPACE, "test waits on the real clock").k(3).build());

    // Then the earlier timing-out test comes first, found by the vector leg too
    RecalledTrajectory first = result.trajectories().get(0);
    assertThat(first.trajectoryId()).isEqualTo(CLOCK);
    assertThat(first.vectorRank()).isEqualTo(1);
    assertThat(result.fusion()).isEqualTo("rrf");
    assertThat(first.score()).isGreaterThan(result.trajectories().get(1).score());
  }

  @Test
  void hybridFindsByMeaningWhenNoWordMatches() {
    // Given a query sharing no word with the timing-out task
    String query = "slow spec hangs waiting";

    // When recalled by BM25 alone and by hybrid
    RecallResult bm25 = service.recall(RecallRequest.builder(WORKSPACE, query).mode(RecallMode.BM25).build());
    RecallResult hybrid = service.recall(RecallRequest.builder(WORKSPACE, query).k(3).build());

    // Then BM25 cannot find it, and hybrid ranks it first through the vector leg
    assertThat(bm25.trajectories()).extracting(RecalledTrajectory::trajectoryId).doesNotContain(CLOCK);
    assertThat(hybrid.trajectories().get(0).trajectoryId()).isEqualTo(CLOCK);
    assertThat(hybrid.trajectories().get(0).bm25Rank()).isNull();
  }

  @Test
  void bm25FindsExactToolArguments() {
    // When the exact test selector used in a tool call is searched for
    RecallResult result = service.recall(RecallRequest.builder(WORKSPACE, "InvoiceRoundingTest#halfEven")
        .mode(RecallMode.BM25).build());

    // Then only the trajectory that ran it comes back
    assertThat(result.trajectories()).extracting(RecalledTrajectory::trajectoryId).containsExactly(INVOICE);
    assertThat(result.trajectories().get(0).bm25Rank()).isEqualTo(1);
    assertThat(result.fusion()).isEqualTo("none");
  }

  @Test
  void identifiersAreFoundByTheirParts() throws Exception {
    // Given the same memory also indexed with OpenSearch's standard analyzer instead of the default code analysis
    try (RecallFixtures.TestIndex standardIndex = new RecallFixtures.TestIndex(openSearchUrl, "standard",
        TextAnalysis.STANDARD)) {
      standardIndex.write(Corpus.team(WORKSPACE, ""));
      RecallService standard = standardIndex.service(Map.of());

      // When parts of identifiers that the tool calls hold are asked for: "half even" of the selector
      // InvoiceRoundingTest#halfEven, and a file named without its package or extension
      RecallRequest halfEven = RecallRequest.builder(WORKSPACE, "half even").mode(RecallMode.BM25).build();
      StepRecallRequest resource = StepRecallRequest.builder(WORKSPACE, "InvoiceResource").mode(RecallMode.BM25).build();

      // Then code analysis finds the trajectory and the tool call, and the standard analyzer, which keeps each
      // identifier one token, finds neither
      assertThat(service.recall(halfEven).trajectories()).extracting(RecalledTrajectory::trajectoryId)
          .containsExactly(INVOICE);
      assertThat(service.recallSteps(resource).toolCalls()).extracting(RecalledToolCall::id)
          .containsExactly(Corpus.PAGINATION + "#2");
      assertThat(standard.recall(halfEven).trajectories()).isEmpty();
      assertThat(standard.recallSteps(resource).toolCalls()).isEmpty();
      // while an identifier asked for whole is found either way
      RecallRequest whole = RecallRequest.builder(WORKSPACE, "InvoiceRoundingTest").mode(RecallMode.BM25).build();
      assertThat(service.recall(whole).trajectories().get(0).trajectoryId()).isEqualTo(INVOICE);
      assertThat(standard.recall(whole).trajectories().get(0).trajectoryId()).isEqualTo(INVOICE);
    }
  }

  @Test
  void matchingStepsNameTheToolCallThatMatched() {
    // When a tool argument is searched for
    RecalledTrajectory invoice = service.recall(RecallRequest.builder(WORKSPACE, "InvoiceRoundingTest").k(1).build())
        .trajectories().get(0);

    // Then the trajectory carries the matching step: its seq, kind, tool and a snippet of the arguments
    assertThat(invoice.trajectoryId()).isEqualTo(INVOICE);
    assertThat(invoice.matchingSteps()).isNotEmpty();
    assertThat(invoice.matchingSteps().get(0).seq()).isEqualTo(2);
    assertThat(invoice.matchingSteps().get(0).kind()).isEqualTo("TOOL_CALL");
    assertThat(invoice.matchingSteps().get(0).tool()).isEqualTo("bash");
    assertThat(invoice.matchingSteps().get(0).snippet()).contains("InvoiceRoundingTest#halfEven");
  }

  @Test
  void resultsCarryTheTrajectoryFieldsWithoutStepsOrVectors() {
    // When a rewarded trajectory is recalled
    RecalledTrajectory clock = service.recall(RecallRequest.builder(WORKSPACE, "OrderServiceTest").mode(RecallMode.BM25).k(1)
        .build()).trajectories().get(0);

    // Then its indexed fields come back
    assertThat(clock.trajectoryId()).isEqualTo(CLOCK);
    assertThat(clock.workspace()).isEqualTo(WORKSPACE);
    assertThat(clock.agentId()).isEqualTo("coder@1");
    assertThat(clock.taskId()).isEqualTo("task-clock");
    assertThat(clock.status()).isEqualTo("SUCCESS");
    assertThat(clock.reward()).isEqualTo(0.9);
    assertThat(clock.labelStatus()).isEqualTo("LABELED");
    assertThat(clock.tags()).containsExactly("lang:java", "ci");
    assertThat(clock.tools()).containsExactly("bash", "edit_file");
    assertThat(clock.outcomeKinds()).containsExactly("pr_merged");
    assertThat(clock.startedAt()).isEqualTo(RecallFixtures.DAY_1.plus(Duration.ofDays(1)));
    assertThat(clock.endedAt()).isAfter(clock.startedAt());
    assertThat(clock.summary()).contains("OrderServiceTest times out on CI");
    assertThat(clock.version()).isEqualTo(1);
    assertThat(clock.rewardedVersion()).isEqualTo(1);
  }

  @Test
  void aStatusFilterNarrowsBothLegs() {
    // When only failures are asked for
    RecallResult result = service.recall(RecallRequest.builder(WORKSPACE, "fix the tests")
        .filters(RecallFilters.builder().statuses(List.of("FAILURE")).build()).build());

    // Then only the failed trajectory comes back, from the text and the vector leg alike
    assertThat(result.trajectories()).extracting(RecalledTrajectory::trajectoryId).containsExactly(INVOICE);
  }

  @Test
  void aToolFilterNarrows() {
    // When only trajectories that called write_file are asked for
    RecallResult result = service.recall(RecallRequest.builder(WORKSPACE, "documentation")
        .filters(RecallFilters.builder().tools(List.of("write_file")).build()).build());

    // Then only the README task comes back
    assertThat(result.trajectories()).extracting(RecalledTrajectory::trajectoryId).containsExactly(README);
  }

  @Test
  void aTagFilterNarrows() {
    // When only trajectories tagged deps are asked for
    RecallResult result = service.recall(RecallRequest.builder(WORKSPACE, "upgrade a library")
        .filters(RecallFilters.builder().tags(List.of("deps")).build()).build());

    // Then only the dependency upgrade comes back
    assertThat(result.trajectories()).extracting(RecalledTrajectory::trajectoryId).containsExactly(JACKSON);
  }

  @Test
  void aRewardRangeNarrowsAndLeavesUnrewardedOut() {
    // When a reward of at least 0.6 is asked for
    RecallResult result = service.recall(RecallRequest.builder(WORKSPACE, "fix a bug")
        .filters(RecallFilters.builder().reward(0.6, null).build()).build());

    // Then the two well-rewarded trajectories come back, and none without a reward
    assertThat(result.trajectories()).extracting(RecalledTrajectory::trajectoryId).containsExactlyInAnyOrder(CLOCK, NPE);
    assertThat(result.trajectories()).allSatisfy(t -> assertThat(t.reward()).isGreaterThanOrEqualTo(0.6));
  }

  @Test
  void anOutcomeKindFilterNarrows() {
    // When only merged work is asked for
    RecallResult result = service.recall(RecallRequest.builder(WORKSPACE, "fix")
        .filters(RecallFilters.builder().outcomeKinds(List.of("pr_merged")).build()).build());

    // Then only trajectories with a pr_merged outcome come back
    assertThat(result.trajectories()).extracting(RecalledTrajectory::trajectoryId).containsExactlyInAnyOrder(CLOCK, NPE);
  }

  @Test
  void aTimeRangeNarrowsOnEndedAt() {
    // When trajectories that ended on the third and fourth day are asked for
    RecallFilters endedThen = RecallFilters.builder()
        .endedBetween(RecallFixtures.DAY_1.plus(Duration.ofDays(2)), RecallFixtures.DAY_1.plus(Duration.ofDays(3)).plusSeconds(3600))
        .build();
    RecallResult result = service.recall(RecallRequest.builder(WORKSPACE, "fix").filters(endedThen).build());

    // Then the two that ended then come back
    assertThat(result.trajectories()).extracting(RecalledTrajectory::trajectoryId).containsExactlyInAnyOrder(INVOICE, NPE);
  }

  @Test
  void hybridsBm25LegRanksOnlyDocumentsHoldingMostOfTheRequestsTerms() {
    // Given a five-term request of which the invoice trajectory holds one (the selector)
    String query = "slow spec hangs waiting InvoiceRoundingTest";

    // When recalled by hybrid with the default minimum_should_match (2<60%) and with any term
    RecallResult strict = service.recall(RecallRequest.builder(WORKSPACE, query).k(10).build());
    RecallService anyTerm = index.service(Map.of(RecallConfig.HYBRID_MINIMUM_SHOULD_MATCH, ""));
    RecallResult loose = anyTerm.recall(RecallRequest.builder(WORKSPACE, query).k(10).build());

    // Then only the loose BM25 leg ranks it, first; the strict one leaves it to the vector leg
    RecalledTrajectory strictInvoice = strict.trajectories().stream()
        .filter(t -> t.trajectoryId().equals(INVOICE)).findFirst().orElseThrow();
    RecalledTrajectory looseInvoice = loose.trajectories().stream()
        .filter(t -> t.trajectoryId().equals(INVOICE)).findFirst().orElseThrow();
    assertThat(strictInvoice.bm25Rank()).isNull();
    assertThat(strictInvoice.vectorRank()).isNotNull();
    assertThat(looseInvoice.bm25Rank()).isEqualTo(1);
    // and BM25 mode still matches any term
    assertThat(service.recall(RecallRequest.builder(WORKSPACE, query).mode(RecallMode.BM25).build()).trajectories())
        .extracting(RecalledTrajectory::trajectoryId).contains(INVOICE);
  }

  @Test
  void theFusionWeightsDecideWhichLegsFirstWins() {
    // Given a request whose best BM25 match (the exact selector) and best vector match (the meaning) differ
    String query = "slow spec hangs waiting InvoiceRoundingTest";
    String bm25First = service.recall(RecallRequest.builder(WORKSPACE, query).mode(RecallMode.BM25).k(1).build())
        .trajectories().get(0).trajectoryId();
    String vectorFirst = service.recall(RecallRequest.builder(WORKSPACE, query).mode(RecallMode.VECTOR).k(1).build())
        .trajectories().get(0).trajectoryId();
    assertThat(bm25First).isEqualTo(INVOICE);
    assertThat(vectorFirst).isEqualTo(CLOCK);

    // When hybrid recall weighs one leg 0 (its BM25 leg matching any term, as BM25 mode does)
    RecallService vectorOnly = index.service(Map.of(RecallConfig.BM25_WEIGHT, "0", RecallConfig.HYBRID_MINIMUM_SHOULD_MATCH, ""));
    RecallService bm25Only = index.service(Map.of(RecallConfig.VECTOR_WEIGHT, "0", RecallConfig.HYBRID_MINIMUM_SHOULD_MATCH, ""));

    // Then the other leg's first comes first, scored 1/(60+1) by it alone
    RecalledTrajectory byVector = vectorOnly.recall(RecallRequest.builder(WORKSPACE, query).k(3).build()).trajectories().get(0);
    RecalledTrajectory byBm25 = bm25Only.recall(RecallRequest.builder(WORKSPACE, query).k(3).build()).trajectories().get(0);
    assertThat(byVector.trajectoryId()).isEqualTo(CLOCK);
    assertThat(byVector.score()).isCloseTo(1.0 / 61, within(1e-9));
    assertThat(byBm25.trajectoryId()).isEqualTo(INVOICE);
    assertThat(byBm25.score()).isCloseTo(1.0 / 61, within(1e-9));
  }

  @Test
  void kIsRespectedInEveryMode() {
    // When two results are asked for, in each mode, then at most two come back (hybrid and vector find more)
    for (RecallMode mode : RecallMode.values()) {
      RecallResult result = service.recall(RecallRequest.builder(WORKSPACE, "fix the failing test").mode(mode).k(2).build());
      assertThat(result.trajectories()).as(mode.name()).hasSizeLessThanOrEqualTo(2);
      if (mode != RecallMode.BM25) {
        assertThat(result.trajectories()).as(mode.name()).hasSize(2);
      }
    }
  }

  @Test
  void aCallerVectorIsUsedInsteadOfTheQueryText() {
    // Given a vector the caller computed with the index's model
    float[] vector = RecallFixtures.embedder().embed("test waits on the real clock");

    // When a vector recall sends it without text
    RecallResult result = service.recall(RecallRequest.builder(WORKSPACE, null).vector(vector).mode(RecallMode.VECTOR).k(1).build());

    // Then the nearest trajectory comes back
    assertThat(result.trajectories()).extracting(RecalledTrajectory::trajectoryId).containsExactly(CLOCK);
  }

  @Test
  void aVectorOfTheWrongDimensionIsRefused() {
    // When the vector has 3 dimensions for a 384-dimension index, then it is refused naming the field
    assertThatThrownBy(() -> service.recall(RecallRequest.builder(WORKSPACE, "q").vector(new float[] {1, 2, 3}).build()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("384")
        .extracting(e -> ((InvalidRequestException) e).field()).isEqualTo("vector");
  }

  @Test
  void kAboveTheConfiguredMaximumIsRefused() {
    // Given a service that returns at most 5
    RecallService small = index.service(Map.of(RecallConfig.MAX_K, "5"));

    // When 10 are asked for, then it is refused naming k and the setting
    assertThatThrownBy(() -> small.recall(RecallRequest.builder(WORKSPACE, "fix").k(10).build()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("recall.max.k");
  }

  @Test
  void aRecallThatOutlivesTheTimeoutFailsAsUnavailable() {
    // Given a timeout shorter than any round trip
    RecallService impatient = index.service(Map.of(RecallConfig.TIMEOUT_MS, "1"));

    // When a hybrid recall runs, then it fails as timed out rather than hanging
    assertThatThrownBy(() -> impatient.recall(RecallRequest.builder(WORKSPACE, "a query never seen before").build()))
        .isInstanceOf(RecallUnavailableException.class)
        .matches(e -> ((RecallUnavailableException) e).timedOut());
  }

  @Test
  void stepRecallFindsTheToolCallWithItsResult() {
    // When a tool argument is searched for among tool calls
    List<RecalledToolCall> calls = service.recallSteps(StepRecallRequest.builder(WORKSPACE, "InvoiceRoundingTest").k(3).build())
        .toolCalls();

    // Then the call comes first, with its arguments and its failed result
    RecalledToolCall first = calls.get(0);
    assertThat(first.id()).isEqualTo(INVOICE + "#2");
    assertThat(first.trajectoryId()).isEqualTo(INVOICE);
    assertThat(first.tool()).isEqualTo("bash");
    assertThat(first.arguments()).contains("InvoiceRoundingTest#halfEven");
    assertThat(first.output()).contains("expected: <10.05>");
    assertThat(first.isError()).isTrue();
    assertThat(first.resultSeq()).isEqualTo(3L);
    assertThat(calls).hasSizeLessThanOrEqualTo(3);
  }

  @Test
  void stepFiltersNarrowToolAndErrorAlike() {
    // When only successful edit_file calls are asked for
    List<RecalledToolCall> calls = service.recallSteps(StepRecallRequest.builder(WORKSPACE, "edit a java file")
        .filters(RecallFilters.builder().tools(List.of("edit_file")).isError(false).build()).build()).toolCalls();

    // Then every call returned is one
    assertThat(calls).isNotEmpty();
    assertThat(calls).allSatisfy(call -> {
      assertThat(call.tool()).isEqualTo("edit_file");
      assertThat(call.isError()).isFalse();
    });
  }

  @Test
  void stepFiltersOnTheCallsTrajectoryNarrowToItsCalls() {
    // When calls are asked for only from failed trajectories, well-rewarded ones, ones tagged deps,
    // and ones whose output the user kept
    List<RecalledToolCall> failed = stepsOf("mvn test", RecallFilters.builder().statuses(List.of("FAILURE")).build());
    List<RecalledToolCall> rewarded = stepsOf("edit a java file", RecallFilters.builder().reward(0.6, null).build());
    List<RecalledToolCall> deps = stepsOf("mvn", RecallFilters.builder().tags(List.of("deps")).build());
    List<RecalledToolCall> kept = stepsOf("edit", RecallFilters.builder().outcomeKinds(List.of("user_kept")).build());

    // Then each returns the calls of those trajectories only, from both legs
    assertThat(failed).isNotEmpty().allSatisfy(call -> assertThat(call.trajectoryId()).isEqualTo(INVOICE));
    assertThat(rewarded).isNotEmpty().allSatisfy(call -> assertThat(call.trajectoryId()).isIn(CLOCK, NPE));
    assertThat(deps).isNotEmpty().allSatisfy(call -> assertThat(call.trajectoryId()).isEqualTo(JACKSON));
    assertThat(kept).isNotEmpty().allSatisfy(call -> assertThat(call.trajectoryId()).isEqualTo(Corpus.PAGINATION));
  }

  private static List<RecalledToolCall> stepsOf(String query, RecallFilters filters) {
    return service.recallSteps(StepRecallRequest.builder(WORKSPACE, query).filters(filters).build()).toolCalls();
  }
}
