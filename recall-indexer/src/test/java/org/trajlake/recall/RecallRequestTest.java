package org.trajlake.recall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecallRequestTest {
  @Test
  void aRequestWithoutWorkspaceIsRefused() {
    // When a request names no workspace, then it is refused naming the field
    assertThatThrownBy(() -> RecallRequest.builder(null, "flaky test").build())
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("workspace is required")
        .extracting(e -> ((InvalidRequestException) e).field()).isEqualTo("workspace");
  }

  @Test
  void aMalformedWorkspaceIsRefused() {
    // When the workspace holds a character outside the allowed set, then it is refused saying what is allowed
    assertThatThrownBy(() -> RecallRequest.builder("team a/../b", "flaky test").build())
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("malformed")
        .hasMessageContaining("A-Z a-z 0-9 . _ : -");
  }

  @Test
  void aWorkspaceOfMoreThan128CharactersIsRefused() {
    // Given a workspace name of 129 characters
    String name = "w".repeat(129);

    // When it is used, then it is refused
    assertThatThrownBy(() -> RecallRequest.builder(name, "q").build())
        .isInstanceOf(InvalidRequestException.class)
        .extracting(e -> ((InvalidRequestException) e).field()).isEqualTo("workspace");
  }

  @Test
  void kOutsideOneToHundredIsRefused() {
    // When k is 0 or 101, then both are refused naming k
    for (int k : new int[] {0, 101}) {
      assertThatThrownBy(() -> RecallRequest.builder("team-a", "q").k(k).build())
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("between 1 and 100")
          .extracting(e -> ((InvalidRequestException) e).field()).isEqualTo("k");
    }
  }

  @Test
  void anInvertedRewardRangeIsRefused() {
    // When gte is above lte, then the request is refused naming the filter
    assertThatThrownBy(() -> RecallRequest.builder("team-a", "q").reward(0.9, 0.1).build())
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("inverted")
        .extracting(e -> ((InvalidRequestException) e).field()).isEqualTo("filters.reward");
  }

  @Test
  void anInvertedTimeRangeIsRefused() {
    // When from is after to, then the request is refused naming the filter
    assertThatThrownBy(() -> RecallRequest.builder("team-a", "q")
        .endedBetween(Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2026-11-01T00:00:00Z")).build())
        .isInstanceOf(InvalidRequestException.class)
        .extracting(e -> ((InvalidRequestException) e).field()).isEqualTo("filters.ended_at");
  }

  @Test
  void anUnknownStatusIsRefusedAndKnownOnesAreNormalised() {
    // When a status filter names an unknown status, then it is refused listing the statuses
    assertThatThrownBy(() -> RecallRequest.builder("team-a", "q").statuses(List.of("DONE")).build())
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("SUCCESS");

    // When it names known ones in lower case, then they are upper-cased as indexed
    assertThat(RecallRequest.builder("team-a", "q").statuses(List.of("success", "failure")).build().statuses())
        .containsExactly("SUCCESS", "FAILURE");
  }

  @Test
  void aQueryIsRequiredUnlessAVectorModeRequestCarriesAVector() {
    // When a hybrid request has no query text, then it is refused
    assertThatThrownBy(() -> RecallRequest.builder("team-a", " ").build())
        .isInstanceOf(InvalidRequestException.class)
        .extracting(e -> ((InvalidRequestException) e).field()).isEqualTo("query");

    // When a vector request carries a vector instead, then it is accepted
    RecallRequest request = RecallRequest.builder("team-a", null).mode(RecallMode.VECTOR).vector(new float[] {1, 0}).build();
    assertThat(request.query()).isEmpty();
  }

  @Test
  void aZeroVectorIsRefused() {
    // When the vector has no direction, then cosine similarity is undefined and it is refused
    assertThatThrownBy(() -> RecallRequest.builder("team-a", "q").vector(new float[3]).build())
        .isInstanceOf(InvalidRequestException.class)
        .extracting(e -> ((InvalidRequestException) e).field()).isEqualTo("vector");
  }

  @Test
  void defaultsAreKTenAndHybrid() {
    // When only workspace and query are given
    RecallRequest request = RecallRequest.builder("team-a", "flaky test").build();

    // Then k is 10, the mode hybrid, and no filter is set
    assertThat(request.k()).isEqualTo(10);
    assertThat(request.mode()).isEqualTo(RecallMode.HYBRID);
    assertThat(request.tools()).isEmpty();
    assertThat(request.rewardGte()).isNull();
  }
}
