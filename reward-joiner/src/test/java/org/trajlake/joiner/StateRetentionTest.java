package org.trajlake.joiner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trajlake.joiner.Records.outcome;
import static org.trajlake.joiner.Records.trajectory;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The join state of an emitted trajectory is kept for the retention after its last change, then dropped. */
class StateRetentionTest {
  @TempDir
  Path stateDir;

  @Test
  void stateUntouchedForTheRetentionIsDroppedAndALaterOutcomeIsHeldAfresh() {
    try (JoinerDriver joiner = new JoinerDriver(stateDir)) {
      // Given an emitted trajectory whose last change was an outcome 20 days later
      joiner.send(trajectory("t-1"));
      joiner.send(outcome("o-1", "t-1", "tests_passed", 1.0));
      joiner.advance(Duration.ofDays(20));
      joiner.send(outcome("o-2", "t-1", "pr_merged", 1.0));
      assertThat(joiner.rewarded()).hasSize(2);

      // When 30 days pass since that change (but not yet: 29 days keep it)
      joiner.advance(Duration.ofDays(29));
      assertThat(joiner.stateEntries()).isPositive();
      joiner.advance(Duration.ofDays(1).plusSeconds(1));

      // Then the state is gone, counted, and nothing was emitted for it
      assertThat(joiner.stateEntries()).isZero();
      assertThat(joiner.counter("trajlake.joiner.expired")).isEqualTo(1.0);
      assertThat(joiner.rewarded()).isEmpty();

      // And an outcome arriving now is held as for an unknown trajectory (orphaned after the window)
      joiner.send(outcome("o-3", "t-1", "user_kept", 1.0));
      assertThat(joiner.rewarded()).isEmpty();
      joiner.advance(Duration.ofDays(7).plusSeconds(1));
      assertThat(joiner.orphaned()).hasSize(1);
    }
  }
}
