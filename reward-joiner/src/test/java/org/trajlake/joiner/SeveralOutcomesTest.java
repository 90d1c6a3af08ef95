package org.trajlake.joiner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.trajlake.joiner.Records.outcome;
import static org.trajlake.joiner.Records.trajectory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlake.schema.LabelStatus;
import org.trajlake.schema.RewardedTrajectory;

/** A trajectory followed by outcomes: one new version per outcome, the reward recomputed each time. */
class SeveralOutcomesTest {
  @TempDir
  Path stateDir;

  @Test
  void eachOutcomeEmitsTheNextVersionPartialUntilEveryRequiredKindIsThere() {
    try (JoinerDriver joiner = new JoinerDriver(stateDir)) {
      // Given a trajectory, not emitted yet (no outcome, settle timeout far away)
      joiner.send(trajectory("t-1"));
      assertThat(joiner.rewarded()).isEmpty();

      // When tests_passed, pr_merged and user_kept arrive one after the other
      joiner.send(outcome("o-1", "t-1", "tests_passed", 1.0));
      joiner.send(outcome("o-2", "t-1", "pr_merged", 1.0));
      joiner.send(outcome("o-3", "t-1", "user_kept", 1.0));

      // Then versions 1, 2, 3: PARTIAL with tests_passed alone, LABELED once pr_merged is there too
      List<RewardedTrajectory> emitted = joiner.rewardedValues();
      assertThat(emitted).extracting(RewardedTrajectory::getVersion).containsExactly(1L, 2L, 3L);
      assertThat(emitted).extracting(RewardedTrajectory::getLabelStatus)
          .containsExactly(LabelStatus.PARTIAL, LabelStatus.LABELED, LabelStatus.LABELED);
      assertThat(emitted.get(0).getReward()).isCloseTo(0.3, within(1e-9));
      assertThat(emitted.get(1).getReward()).isCloseTo(0.8, within(1e-9));
      assertThat(emitted.get(2).getReward()).isCloseTo(1.0, within(1e-9));
      assertThat(emitted.get(2).getRewardComponents()).containsOnlyKeys("tests_passed", "pr_merged", "user_kept");
      assertThat(emitted.get(2).getRewardComponents().get("pr_merged")).isCloseTo(0.5, within(1e-9));
      assertThat(emitted.get(2).getOutcomes()).extracting(o -> o.getOutcomeId()).containsExactly("o-1", "o-2", "o-3");
    }
  }

  @Test
  void latestTakesTheOutcomeWithTheGreatestTsAndOnATieTheLaterArrival() {
    try (JoinerDriver joiner = new JoinerDriver(stateDir)) {
      // Given a trajectory and a passing test run at ts 200
      joiner.send(trajectory("t-1"));
      joiner.send(outcome("o-1", "t-1", "tests_passed", 1.0, 200));

      // When a failing run that happened earlier (ts 100) arrives later, then another failing run
      // at the same ts 200 as the passing one
      joiner.send(outcome("o-2", "t-1", "tests_passed", 0.0, 100));
      joiner.send(outcome("o-3", "t-1", "tests_passed", 0.0, 200));

      // Then the earlier run does not replace the later one; the tie goes to the later arrival
      List<RewardedTrajectory> emitted = joiner.rewardedValues();
      assertThat(emitted).extracting(RewardedTrajectory::getReward)
          .satisfiesExactly(
              r -> assertThat(r).isCloseTo(0.3, within(1e-9)),
              r -> assertThat(r).isCloseTo(0.3, within(1e-9)),
              r -> assertThat(r).isCloseTo(0.0, within(1e-9)));
    }
  }

  @Test
  void maxKeepsTheBestValueOfRepeatedOutcomes() {
    try (JoinerDriver joiner = new JoinerDriver(stateDir)) {
      // Given a trajectory whose PR was merged (pr_merged combines with max)
      joiner.send(trajectory("t-1"));
      joiner.send(outcome("o-1", "t-1", "pr_merged", 1.0, 100));

      // When a later pr_merged outcome says 0 (reverted)
      joiner.send(outcome("o-2", "t-1", "pr_merged", 0.0, 200));

      // Then the component stays at the best value seen
      List<RewardedTrajectory> emitted = joiner.rewardedValues();
      assertThat(emitted).hasSize(2);
      assertThat(emitted.get(1).getRewardComponents().get("pr_merged")).isCloseTo(0.5, within(1e-9));
    }
  }

  @Test
  void sumAddsRepeatedOutcomesUnderASpecOfYourOwn() {
    // Given a spec where ratings add up and anything rated is labeled
    Map<String, String> spec = Map.of(
        "reward.spec.name", "ratings",
        "reward.kind.rating.weight", "0.1",
        "reward.kind.rating.combine", "sum");
    try (JoinerDriver joiner = new JoinerDriver(stateDir, spec)) {
      joiner.send(trajectory("t-1"));

      // When three ratings arrive
      joiner.send(outcome("o-1", "t-1", "rating", 1.0));
      joiner.send(outcome("o-2", "t-1", "rating", 2.0));
      joiner.send(outcome("o-3", "t-1", "rating", 3.0));

      // Then the reward is the weighted sum so far, LABELED from the first, under the spec's own id
      List<RewardedTrajectory> emitted = joiner.rewardedValues();
      assertThat(emitted).extracting(RewardedTrajectory::getReward)
          .satisfiesExactly(
              r -> assertThat(r).isCloseTo(0.1, within(1e-9)),
              r -> assertThat(r).isCloseTo(0.3, within(1e-9)),
              r -> assertThat(r).isCloseTo(0.6, within(1e-9)));
      assertThat(emitted).extracting(RewardedTrajectory::getLabelStatus).containsOnly(LabelStatus.LABELED);
      assertThat(emitted.get(0).getRewardSpec()).startsWith("ratings@");
    }
  }

  @Test
  void anOutcomeOfAKindOutsideTheSpecIsKeptButDoesNotCount() {
    try (JoinerDriver joiner = new JoinerDriver(stateDir)) {
      // Given a trajectory
      joiner.send(trajectory("t-1"));

      // When a rating arrives, which the default spec does not weigh
      joiner.send(outcome("o-1", "t-1", "rating", 5.0));

      // Then a version with the outcome, PARTIAL, and no reward yet
      List<RewardedTrajectory> emitted = joiner.rewardedValues();
      assertThat(emitted).hasSize(1);
      assertThat(emitted.get(0).getOutcomes()).extracting(o -> o.getKind()).containsExactly("rating");
      assertThat(emitted.get(0).getLabelStatus()).isEqualTo(LabelStatus.PARTIAL);
      assertThat(emitted.get(0).getReward()).isNull();
      assertThat(emitted.get(0).getRewardComponents()).isEmpty();
    }
  }
}
