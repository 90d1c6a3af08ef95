package org.trajlake.joiner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trajlake.joiner.Records.outcome;
import static org.trajlake.joiner.Records.trajectory;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlake.schema.RewardedTrajectory;

/** An outcome_id seen again (a retried webhook, a replayed source) changes nothing and is counted. */
class DuplicateOutcomeTest {
  @TempDir
  Path stateDir;

  @Test
  void aRepeatedOutcomeIdIsIgnoredEvenWithAnotherValue() {
    try (JoinerDriver joiner = new JoinerDriver(stateDir)) {
      // Given a trajectory joined with outcome o-1
      joiner.send(trajectory("t-1"));
      joiner.send(outcome("o-1", "t-1", "tests_passed", 1.0));
      assertThat(joiner.rewarded()).hasSize(1);

      // When o-1 arrives again, this time with another value
      joiner.send(outcome("o-1", "t-1", "tests_passed", 0.0));

      // Then no new version, nothing dead-lettered, one duplicate counted
      assertThat(joiner.rewarded()).isEmpty();
      assertThat(joiner.deadLetters()).isEmpty();
      assertThat(joiner.counter("trajlake.duplicates", "topic", "trajlake.outcomes")).isEqualTo(1.0);
    }
  }

  @Test
  void aRepeatWhileHeldIsJoinedOnce() {
    try (JoinerDriver joiner = new JoinerDriver(stateDir)) {
      // Given o-1 held twice before its trajectory
      joiner.send(outcome("o-1", "t-1", "tests_passed", 1.0));
      joiner.send(outcome("o-1", "t-1", "tests_passed", 1.0));

      // When the trajectory arrives
      joiner.send(trajectory("t-1"));

      // Then it is joined with the outcome once
      List<RewardedTrajectory> emitted = joiner.rewardedValues();
      assertThat(emitted).hasSize(1);
      assertThat(emitted.get(0).getOutcomes()).hasSize(1);
      assertThat(joiner.counter("trajlake.duplicates", "topic", "trajlake.outcomes")).isEqualTo(1.0);
    }
  }
}
