package org.trajlake.joiner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trajlake.joiner.Records.outcome;
import static org.trajlake.joiner.Records.trajectory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.trajlake.runtime.DeadLetter;
import org.trajlake.schema.Outcome;
import org.trajlake.schema.Trajectory;

/**
 * Every way a decoded record can be unusable sends it to the dead-letter topic, as it came, with
 * its own reason code, and the joiner goes on: one test per failure.
 */
class InputValidationTest {
  @TempDir
  Path stateDir;

  static Stream<Arguments> invalidOutcomes() {
    Outcome valid = outcome("o-1", "t-1", "tests_passed", 1.0);
    return Stream.of(
        Arguments.of("missing-key", null, valid),
        Arguments.of("key-mismatch", "t-2", valid),
        Arguments.of("blank-trajectory-id", "t-1", Outcome.newBuilder(valid).setTrajectoryId(" ").build()),
        Arguments.of("blank-outcome-id", "t-1", Outcome.newBuilder(valid).setOutcomeId("").build()),
        Arguments.of("blank-workspace", "t-1", Outcome.newBuilder(valid).setWorkspace("  ").build()),
        Arguments.of("blank-kind", "t-1", Outcome.newBuilder(valid).setKind("").build()),
        Arguments.of("non-finite-value", "t-1", Outcome.newBuilder(valid).setValue(Double.NaN).build()),
        Arguments.of("non-finite-value", "t-1", Outcome.newBuilder(valid).setValue(Double.POSITIVE_INFINITY).build()),
        Arguments.of("non-finite-value", "t-1", Outcome.newBuilder(valid).setValue(Double.NEGATIVE_INFINITY).build()));
  }

  static Stream<Arguments> invalidTrajectories() {
    Trajectory valid = trajectory("t-1");
    return Stream.of(
        Arguments.of("missing-key", null, valid),
        Arguments.of("key-mismatch", "t-2", valid),
        Arguments.of("blank-trajectory-id", "t-1", Trajectory.newBuilder(valid).setTrajectoryId("").build()),
        Arguments.of("blank-workspace", "t-1", Trajectory.newBuilder(valid).setWorkspace(" ").build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidOutcomes")
  void anInvalidOutcomeIsDeadLetteredWithItsReasonAndOriginalBytes(String reason, String key, Outcome outcome) {
    try (JoinerDriver joiner = new JoinerDriver(stateDir)) {
      // Given a known trajectory, so a valid outcome would be joined at once
      joiner.send(trajectory("t-1"));

      // When the invalid outcome arrives, with a header of its producer
      assertRejected(joiner, false, reason, key, joiner.encode(outcome));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidTrajectories")
  void anInvalidTrajectoryIsDeadLetteredWithItsReasonAndOriginalBytes(String reason, String key, Trajectory trajectory) {
    try (JoinerDriver joiner = new JoinerDriver(stateDir)) {
      // Given a held outcome, so a valid trajectory would be joined at once
      joiner.send(outcome("o-1", "t-1", "tests_passed", 1.0));

      // When the invalid trajectory arrives, with a header of its producer
      assertRejected(joiner, true, reason, key, joiner.encode(trajectory));
    }
  }

  private static void assertRejected(JoinerDriver joiner, boolean trajectories, String reason, String key, byte[] value) {
    byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    RecordHeaders headers = new RecordHeaders();
    headers.add("traceparent", JoinerDriver.utf8("00-abc-def-01"));
    joiner.sendRaw(trajectories, keyBytes, value, headers);
    String topic = trajectories ? "trajlake.trajectories" : "trajlake.outcomes";

    // Then the dead-letter topic has it with the same key and value bytes, its own headers, and
    // the reason and where it was read
    List<TestRecord<byte[], byte[]>> dead = joiner.deadLetters();
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).key()).isEqualTo(keyBytes);
    assertThat(dead.get(0).value()).isEqualTo(value);
    assertThat(dead.get(0).headers().lastHeader("traceparent").value()).isEqualTo(JoinerDriver.utf8("00-abc-def-01"));
    DeadLetter why = JoinerDriver.deadLetterOf(dead.get(0));
    assertThat(why.reason()).isEqualTo(reason);
    assertThat(why.detail()).isNotBlank();
    assertThat(why.stage()).isEqualTo("reward-joiner");
    assertThat(why.sourceTopic()).isEqualTo(topic);
    assertThat(why.sourcePartition()).isZero();
    assertThat(why.sourceOffset()).as("the first record of its topic").isZero();
    assertThat(why.time()).isEqualTo(joiner.now());
    assertThat(joiner.counter("trajlake.dlq", "reason", reason)).isEqualTo(1.0);

    // And nothing was joined with it
    assertThat(joiner.rewarded()).isEmpty();
  }

}
