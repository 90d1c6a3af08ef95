package org.trajlake.joiner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trajlake.joiner.Records.outcome;
import static org.trajlake.joiner.Records.trajectory;
import static org.trajlake.joiner.Records.withWorkspace;

import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlake.runtime.DeadLetter;
import org.trajlake.schema.Outcome;
import org.trajlake.schema.RewardedTrajectory;

/** Workspaces are isolation boundaries: an outcome never joins another workspace's trajectory. */
class WorkspaceMismatchTest {
  @TempDir
  Path stateDir;

  @Test
  void anOutcomeForAnotherWorkspaceThanItsKnownTrajectoryIsDeadLetteredAsItCame() {
    try (JoinerDriver joiner = new JoinerDriver(stateDir)) {
      // Given a trajectory of team-a
      joiner.send(trajectory("t-1"));

      // When an outcome for the same id but workspace team-b arrives
      Outcome foreign = withWorkspace(outcome("o-1", "t-1", "tests_passed", 1.0), "team-b");
      byte[] bytes = joiner.encode(foreign);
      joiner.sendRawOutcome(JoinerDriver.utf8("t-1"), bytes);

      // Then it is dead-lettered with its original bytes, and nothing is emitted
      List<TestRecord<byte[], byte[]>> dead = joiner.deadLetters();
      assertThat(dead).hasSize(1);
      assertThat(dead.get(0).value()).isEqualTo(bytes);
      assertThat(dead.get(0).key()).isEqualTo(JoinerDriver.utf8("t-1"));
      DeadLetter why = JoinerDriver.deadLetterOf(dead.get(0));
      assertThat(why.reason()).isEqualTo("workspace-mismatch");
      assertThat(why.detail()).contains("team-a", "team-b");
      assertThat(joiner.rewarded()).isEmpty();
    }
  }

  @Test
  void heldOutcomesOfAnotherWorkspaceAreDeadLetteredWhenTheTrajectoryArrivesAndTheRestJoin() {
    try (JoinerDriver joiner = new JoinerDriver(stateDir)) {
      // Given two held outcomes for t-1: one of team-a, one of team-b
      Outcome ours = outcome("o-1", "t-1", "tests_passed", 1.0);
      Outcome foreign = withWorkspace(outcome("o-2", "t-1", "pr_merged", 1.0), "team-b");
      joiner.send(ours);
      joiner.send(foreign);

      // When the team-a trajectory arrives
      joiner.send(trajectory("t-1"));

      // Then the team-b outcome is dead-lettered (it reads back as the same outcome; the headers
      // name the offset it was read from) and the trajectory joins only its own workspace's outcome
      List<TestRecord<byte[], byte[]>> dead = joiner.deadLetters();
      assertThat(dead).hasSize(1);
      assertThat(joiner.decodeOutcome(dead.get(0).value())).isEqualTo(foreign);
      DeadLetter why = JoinerDriver.deadLetterOf(dead.get(0));
      assertThat(why.reason()).isEqualTo("workspace-mismatch");
      assertThat(why.sourceTopic()).isEqualTo("trajlake.outcomes");
      assertThat(why.sourceOffset()).isEqualTo(1);
      List<RewardedTrajectory> emitted = joiner.rewardedValues();
      assertThat(emitted).hasSize(1);
      assertThat(emitted.get(0).getOutcomes()).containsExactly(ours);
      assertThat(joiner.counter("trajlake.dlq", "reason", "workspace-mismatch")).isEqualTo(1.0);
    }
  }
}
