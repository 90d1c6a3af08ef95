package org.trajlake.recall.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30));

  @Test
  void theWaitDoublesFromTheInitialOne() {
    // When the first failures are counted, then each wait is twice the one before
    assertThat(IntStream.range(0, 5).mapToObj(backoff::delay).map(Duration::toMillis))
        .containsExactly(200L, 400L, 800L, 1600L, 3200L);
  }

  @Test
  void theWaitStopsGrowingAtTheMaximumHoweverLongTheOutage() {
    // When failures go on far past the cap (a long outage), then every wait is the maximum
    assertThat(backoff.delay(8)).isEqualTo(Duration.ofSeconds(30));
    assertThat(backoff.delay(63)).isEqualTo(Duration.ofSeconds(30));
    assertThat(backoff.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aMaximumBelowTheInitialWaitIsRefused() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
