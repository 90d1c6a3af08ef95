package org.trajlake.joiner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trajlake.joiner.Records.outcome;
import static org.trajlake.joiner.Records.trajectory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlake.schema.RewardedTrajectory;

/** ingest-streams may re-emit a trajectory with a higher assembly version after late events. */
class TrajectoryVersionTest {
  @TempDir
  Path stateDir;

  @Test
  void aNewerAssemblyVersionReEmitsWithTheSameOutcomesAndAnOlderOneIsIgnored() {
    try (JoinerDriver joiner = new JoinerDriver(stateDir)) {
      // Given assembly version 1 joined with an outcome (rewarded version 1)
      joiner.send(trajectory("t-1", 1));
      joiner.send(outcome("o-1", "t-1", "tests_passed", 1.0));
      assertThat(joiner.rewarded()).hasSize(1);

      // When assembly version 2 arrives
      joiner.send(trajectory("t-1", 2));

      // Then rewarded version 2 carries the new assembly and the same outcome and reward
      List<RewardedTrajectory> emitted = joiner.rewardedValues();
      assertThat(emitted).hasSize(1);
      assertThat(emitted.get(0).getVersion()).isEqualTo(2);
      assertThat(emitted.get(0).getTrajectory()).isEqualTo(trajectory("t-1", 2));
      assertThat(emitted.get(0).getOutcomes()).extracting(o -> o.getOutcomeId()).containsExactly("o-1");

      // And when version 1 arrives again (a replay) and then version 2 again, nothing is emitted;
      // each is counted
      joiner.send(trajectory("t-1", 1));
      joiner.send(trajectory("t-1", 2));
      assertThat(joiner.rewarded()).isEmpty();
      assertThat(joiner.counter("trajlake.stale", "topic", "trajlake.trajectories")).isEqualTo(1.0);
      assertThat(joiner.counter("trajlake.duplicates", "topic", "trajlake.trajectories")).isEqualTo(1.0);

      // And the next outcome joins the newest assembly
      joiner.send(outcome("o-2", "t-1", "pr_merged", 1.0));
      List<RewardedTrajectory> next = joiner.rewardedValues();
      assertThat(next).extracting(RewardedTrajectory::getVersion).containsExactly(3L);
      assertThat(next.get(0).getTrajectory().getVersion()).isEqualTo(2);
    }
  }

  @Test
  void aNewerVersionBeforeAnyEmissionIsWhatTheSettleTimeoutEmitsWithoutRestartingIt() {
    try (JoinerDriver joiner = new JoinerDriver(stateDir)) {
      // Given version 1 waiting for outcomes, and version 2 twelve hours later
      joiner.send(trajectory("t-1", 1));
      joiner.advance(Duration.ofHours(12));
      joiner.send(trajectory("t-1", 2));
      assertThat(joiner.rewarded()).isEmpty();

      // When 24 h have passed since version 1 arrived
      joiner.advance(Duration.ofHours(12).plusSeconds(1));

      // Then one UNLABELED emission of version 2
      List<RewardedTrajectory> emitted = joiner.rewardedValues();
      assertThat(emitted).hasSize(1);
      assertThat(emitted.get(0).getVersion()).isEqualTo(1);
      assertThat(emitted.get(0).getTrajectory().getVersion()).isEqualTo(2);
    }
  }
}
