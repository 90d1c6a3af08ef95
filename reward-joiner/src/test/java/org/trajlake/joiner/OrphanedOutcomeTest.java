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
import org.trajlake.runtime.DeadLetter;
import org.trajlake.schema.LabelStatus;
import org.trajlake.schema.Outcome;
import org.trajlake.schema.RewardedTrajectory;

/** Outcomes whose trajectory never comes are surfaced on the orphaned topic, then forgotten. */
class OrphanedOutcomeTest {
  @TempDir
  Path stateDir;

  @Test
  void heldOutcomesAreOrphanedWhenTheWindowFromTheFirstOnePassesAndTheStateIsDropped() {
    try (JoinerDriver joiner = new JoinerDriver(stateDir)) {
      // Given two outcomes for an unknown trajectory, a day apart
      Outcome first = outcome("o-1", "t-1", "tests_passed", 1.0);
      Outcome second = outcome("o-2", "t-1", "pr_merged", 1.0);
      joiner.send(first);
      joiner.advance(Duration.ofDays(1));
      joiner.send(second);

      // When the wall clock reaches just short of 7 days after the first, then passes it
      joiner.advance(Duration.ofDays(6).minusSeconds(2));
      assertThat(joiner.orphaned()).as("the window runs from the first outcome").isEmpty();
      joiner.advance(Duration.ofSeconds(3));

      // Then both outcomes are on the orphaned topic, unchanged, keyed by the trajectory id, with
      // the reason, the window and where each was read
      List<TestRecord<String, Outcome>> orphans = joiner.orphaned();
      assertThat(orphans).extracting(TestRecord::value).containsExactly(first, second);
      assertThat(orphans).extracting(TestRecord::key).containsOnly("t-1");
      DeadLetter why = JoinerDriver.deadLetterOf(orphans.get(0));
      assertThat(why.reason()).isEqualTo("no-trajectory");
      assertThat(why.detail()).contains("joiner.outcome.window.ms=604800000", "PT168H", "t-1");
      assertThat(why.stage()).isEqualTo("reward-joiner");
      assertThat(why.sourceTopic()).isEqualTo("trajlake.outcomes");
      assertThat(why.sourceOffset()).isEqualTo(0);
      assertThat(JoinerDriver.deadLetterOf(orphans.get(1)).sourceOffset()).isEqualTo(1);
      assertThat(why.time()).isEqualTo(joiner.now());
      assertThat(joiner.counter("trajlake.orphaned")).isEqualTo(2.0);
      assertThat(joiner.stateEntries()).as("state dropped").isZero();
      assertThat(joiner.rewarded()).isEmpty();

      // And when the trajectory finally arrives, it is a new trajectory: it waits for the settle
      // timeout and is emitted UNLABELED, without the orphaned outcomes
      joiner.send(trajectory("t-1"));
      assertThat(joiner.rewarded()).isEmpty();
      joiner.advance(Duration.ofHours(25));
      List<RewardedTrajectory> emitted = joiner.rewardedValues();
      assertThat(emitted).hasSize(1);
      assertThat(emitted.get(0).getVersion()).isEqualTo(1);
      assertThat(emitted.get(0).getLabelStatus()).isEqualTo(LabelStatus.UNLABELED);
      assertThat(emitted.get(0).getOutcomes()).isEmpty();
    }
  }
}
