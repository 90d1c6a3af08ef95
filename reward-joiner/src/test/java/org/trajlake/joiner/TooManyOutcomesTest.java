package org.trajlake.joiner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trajlake.joiner.Records.outcome;
import static org.trajlake.joiner.Records.trajectory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlake.schema.RewardedTrajectory;

/** A runaway outcome source cannot grow one trajectory's state and record without bound. */
class TooManyOutcomesTest {
  @TempDir
  Path stateDir;

  @Test
  void outcomesPastTheLimitAreDeadLettered() {
    try (JoinerDriver joiner = new JoinerDriver(stateDir, Map.of(JoinerConfig.MAX_OUTCOMES, "2"))) {
      // Given a trajectory with the two outcomes the limit allows
      joiner.send(trajectory("t-1"));
      joiner.send(outcome("o-1", "t-1", "rating", 1.0));
      joiner.send(outcome("o-2", "t-1", "rating", 2.0));

      // When a third arrives
      joiner.send(outcome("o-3", "t-1", "rating", 3.0));

      // Then it is dead-lettered with its reason, and the versions stop at 2
      List<TestRecord<byte[], byte[]>> dead = joiner.deadLetters();
      assertThat(dead).hasSize(1);
      assertThat(JoinerDriver.deadLetterOf(dead.get(0)).reason()).isEqualTo("too-many-outcomes");
      assertThat(joiner.rewardedValues()).extracting(RewardedTrajectory::getVersion).containsExactly(1L, 2L);
    }
  }
}
