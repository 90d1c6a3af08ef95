package org.trajlake.joiner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.trajlake.joiner.Records.outcome;
import static org.trajlake.joiner.Records.trajectory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlake.schema.LabelStatus;
import org.trajlake.schema.Outcome;
import org.trajlake.schema.RewardedTrajectory;

/** Outcomes that arrive before their trajectory are held, then joined the moment it arrives. */
class OutcomeBeforeTrajectoryTest {
  @TempDir
  Path stateDir;
  private JoinerDriver joiner;

  @BeforeEach
  void start() {
    joiner = new JoinerDriver(stateDir);
  }

  @AfterEach
  void stop() {
    joiner.close();
  }

  @Test
  void anOutcomeIsHeldUntilItsTrajectoryArrivesThenEmittedAsVersionOne() {
    // Given an outcome for a trajectory the joiner has not seen
    Outcome passed = outcome("o-1", "t-1", "tests_passed", 1.0);
    joiner.send(passed);
    assertThat(joiner.rewarded()).as("nothing to emit without the trajectory").isEmpty();

    // When the trajectory arrives an hour later
    joiner.advance(Duration.ofHours(1));
    joiner.send(trajectory("t-1"));

    // Then it is emitted at once as version 1 with the held outcome, PARTIAL (pr_merged is required
    // too), the reward of tests_passed alone, stamped with the wall clock
    List<TestRecord<String, RewardedTrajectory>> records = joiner.rewarded();
    assertThat(records).hasSize(1);
    TestRecord<String, RewardedTrajectory> record = records.get(0);
    RewardedTrajectory rewarded = record.value();
    assertThat(record.key()).isEqualTo("t-1");
    assertThat(rewarded.getVersion()).isEqualTo(1);
    assertThat(rewarded.getTrajectory()).isEqualTo(trajectory("t-1"));
    assertThat(rewarded.getOutcomes()).containsExactly(passed);
    assertThat(rewarded.getLabelStatus()).isEqualTo(LabelStatus.PARTIAL);
    assertThat(rewarded.getReward()).isCloseTo(0.3, within(1e-9));
    assertThat(rewarded.getRewardComponents()).containsOnlyKeys("tests_passed");
    assertThat(rewarded.getRewardSpec()).isEqualTo(RewardSpec.defaultSpec().id()).matches("default@[0-9a-f]{8}");
    assertThat(rewarded.getRewardedAt()).isEqualTo(joiner.now());
    assertThat(record.timestamp()).isEqualTo(joiner.now().toEpochMilli());
  }

  @Test
  void everyRequiredOutcomeBeforeTheTrajectoryLabelsItInItsFirstVersion() {
    // Given both required outcomes, held in arrival order
    Outcome merged = outcome("o-1", "t-1", "pr_merged", 1.0);
    Outcome passed = outcome("o-2", "t-1", "tests_passed", 1.0);
    joiner.send(merged);
    joiner.send(passed);

    // When the trajectory arrives
    joiner.send(trajectory("t-1"));

    // Then one version, LABELED, with both outcomes in arrival order and their weighted sum
    List<RewardedTrajectory> emitted = joiner.rewardedValues();
    assertThat(emitted).hasSize(1);
    assertThat(emitted.get(0).getVersion()).isEqualTo(1);
    assertThat(emitted.get(0).getOutcomes()).containsExactly(merged, passed);
    assertThat(emitted.get(0).getLabelStatus()).isEqualTo(LabelStatus.LABELED);
    assertThat(emitted.get(0).getReward()).isCloseTo(0.8, within(1e-9));
    assertThat(joiner.orphaned()).isEmpty();
    assertThat(joiner.deadLetters()).isEmpty();
  }
}
