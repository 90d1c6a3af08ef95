package org.trajlake.joiner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trajlake.joiner.Records.outcome;
import static org.trajlake.joiner.Records.trajectory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlake.schema.LabelStatus;
import org.trajlake.schema.RewardedTrajectory;

/** A trajectory nobody reports on is still emitted, UNLABELED, once the settle timeout passes. */
class SettleTimeoutTest {
  @TempDir
  Path stateDir;

  @Test
  void aTrajectoryWithNoOutcomeIsEmittedUnlabeledAfterTheSettleTimeoutAndRelabeledByALateOutcome() {
    try (JoinerDriver joiner = new JoinerDriver(stateDir)) {
      // Given a trajectory and no outcome for almost the default 24 h
      joiner.send(trajectory("t-1"));
      joiner.advance(Duration.ofHours(24).minusSeconds(2));
      assertThat(joiner.rewarded()).as("still within the settle timeout").isEmpty();

      // When the wall clock passes the settle timeout
      joiner.advance(Duration.ofSeconds(3));

      // Then it is emitted as version 1, UNLABELED, with no reward and no outcome, stamped now
      List<TestRecord<String, RewardedTrajectory>> records = joiner.rewarded();
      assertThat(records).hasSize(1);
      RewardedTrajectory unlabeled = records.get(0).value();
      assertThat(unlabeled.getVersion()).isEqualTo(1);
      assertThat(unlabeled.getLabelStatus()).isEqualTo(LabelStatus.UNLABELED);
      assertThat(unlabeled.getReward()).isNull();
      assertThat(unlabeled.getOutcomes()).isEmpty();
      assertThat(unlabeled.getRewardedAt()).isEqualTo(joiner.now());
      assertThat(records.get(0).timestamp()).isEqualTo(joiner.now().toEpochMilli());

      // And when an outcome comes after all, it is version 2 with a reward
      joiner.send(outcome("o-1", "t-1", "tests_passed", 1.0));
      List<RewardedTrajectory> later = joiner.rewardedValues();
      assertThat(later).extracting(RewardedTrajectory::getVersion).containsExactly(2L);
      assertThat(later.get(0).getLabelStatus()).isEqualTo(LabelStatus.PARTIAL);

      // And the settle timeout does not fire a second time
      joiner.advance(Duration.ofDays(2));
      assertThat(joiner.rewarded()).isEmpty();
    }
  }
}
