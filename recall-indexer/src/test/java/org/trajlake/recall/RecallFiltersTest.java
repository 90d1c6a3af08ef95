package org.trajlake.recall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecallFiltersTest {
  private static final Instant DECEMBER = Instant.parse("2026-12-01T00:00:00Z");
  private static final Instant NOVEMBER = Instant.parse("2026-11-01T00:00:00Z");

  @Test
  void anInvertedRewardRangeIsRefused() {
    // When gte is above lte, then the filters are refused naming the filter
    assertThatThrownBy(() -> RecallFilters.builder().reward(0.9, 0.1).build())
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("inverted")
        .extracting(e -> ((InvalidRequestException) e).field()).isEqualTo("filters.reward");
  }

  @Test
  void anInvertedTimeRangeIsRefusedNamingItsOwnField() {
    // When from is after to, for the end of a trajectory or the time of a call, then each names its filter
    assertThatThrownBy(() -> RecallFilters.builder().endedBetween(DECEMBER, NOVEMBER).build())
        .isInstanceOf(InvalidRequestException.class)
        .extracting(e -> ((InvalidRequestException) e).field()).isEqualTo("filters.ended_at");
    assertThatThrownBy(() -> RecallFilters.builder().calledBetween(DECEMBER, NOVEMBER).build())
        .isInstanceOf(InvalidRequestException.class)
        .extracting(e -> ((InvalidRequestException) e).field()).isEqualTo("filters.ts");
  }

  @Test
  void anUnknownStatusIsRefusedAndKnownOnesAreNormalised() {
    // When a status filter names an unknown status, then it is refused listing the statuses
    assertThatThrownBy(() -> RecallFilters.builder().statuses(List.of("DONE")).build())
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("SUCCESS");

    // When it names known ones in lower case, then they are upper-cased as indexed
    assertThat(RecallFilters.builder().statuses(List.of("success", "failure")).build().statuses())
        .containsExactly("SUCCESS", "FAILURE");
  }

  @Test
  void aToolCallRecallTakesTheFiltersOfTheCallsTrajectory() {
    // Given the filters of a trajectory: status, outcome kinds, tags, reward and end
    RecallFilters wentWell = RecallFilters.builder().statuses(List.of("SUCCESS")).outcomeKinds(List.of("pr_merged"))
        .tags(List.of("ci")).reward(0.5, null).endedBetween(Instant.parse("2026-11-01T00:00:00Z"), null).build();

    // When a tool-call recall is built with them, then it keeps them (each tool-call document carries them)
    assertThat(StepRecallRequest.builder("team-a", "mvn test").filters(wentWell).build().filters()).isEqualTo(wentWell);
  }

  @Test
  void aTrajectoryRecallRefusesAFilterOnlyToolCallsHave() {
    // Given an is_error filter, which only a tool-call recall takes
    RecallFilters failedCalls = RecallFilters.builder().isError(true).build();

    // When a trajectory recall is built with it, then it is refused naming the filter
    assertThatThrownBy(() -> RecallRequest.builder("team-a", "mvn test").filters(failedCalls).build())
        .isInstanceOf(InvalidRequestException.class)
        .extracting(e -> ((InvalidRequestException) e).field()).isEqualTo("filters.is_error");
  }
}
