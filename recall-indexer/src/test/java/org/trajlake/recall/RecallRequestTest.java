package org.trajlake.recall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    assertThat(request.filters()).isEqualTo(RecallFilters.NONE);
    assertThat(request.filters().tools()).isEmpty();
    assertThat(request.filters().rewardGte()).isNull();
  }
}
