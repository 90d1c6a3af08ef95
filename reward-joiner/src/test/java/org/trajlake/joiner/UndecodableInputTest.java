package org.trajlake.joiner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.trajlake.joiner.Records.outcome;
import static org.trajlake.joiner.Records.trajectory;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.trajlake.runtime.DeadLetter;
import org.trajlake.schema.LabelStatus;
import org.trajlake.schema.RewardedTrajectory;
import org.trajlake.schema.registry.RegistryUnavailableException;
import org.trajlake.schema.serde.AvroSerdeException;

/**
 * Bytes that do not decode, on either input, go to the dead-letter topic with the serde's reason and
 * the joiner goes on; a registry outage is not the record's fault and is not dead-lettered.
 */
class UndecodableInputTest {
  @TempDir
  Path stateDir;

  /** (input, expected reason, the bad bytes made from a valid encoding of that input). */
  static Stream<Arguments> undecodable() {
    Function<byte[], byte[]> plainText = valid -> JoinerDriver.utf8("{\"trajectory_id\":\"t-1\"}");
    Function<byte[], byte[]> tooShort = valid -> new byte[] {0, 0, 0};
    Function<byte[], byte[]> unknownId = valid -> ByteBuffer.allocate(valid.length).put(valid).putInt(1, 9999).array();
    Function<byte[], byte[]> truncated = valid -> Arrays.copyOf(valid, 9);
    Function<byte[], byte[]> tombstone = valid -> null;
    return Stream.of(true, false).flatMap(trajectories -> Stream.of(
        Arguments.of(trajectories, "no-magic-byte", plainText),
        Arguments.of(trajectories, "no-magic-byte", tooShort),
        Arguments.of(trajectories, "unknown-schema-id", unknownId),
        Arguments.of(trajectories, "decode-failed", truncated),
        Arguments.of(trajectories, "null-value", tombstone)));
  }

  @ParameterizedTest(name = "trajectories={0}: {1}")
  @MethodSource("undecodable")
  void undecodableBytesAreDeadLetteredWithTheSerdeReasonAndTheJoinerGoesOn(boolean trajectories, String reason,
      Function<byte[], byte[]> corrupt) {
    try (JoinerDriver joiner = new JoinerDriver(stateDir)) {
      // Given bytes that are not a decodable record of the topic
      byte[] valid = trajectories ? joiner.encode(trajectory("t-1")) : joiner.encode(outcome("o-1", "t-1", "tests_passed", 1.0));
      byte[] bad = corrupt.apply(valid);

      // When they arrive
      joiner.sendRaw(trajectories, JoinerDriver.utf8("t-1"), bad, new RecordHeaders());

      // Then they are dead-lettered unchanged with the reason
      List<TestRecord<byte[], byte[]>> dead = joiner.deadLetters();
      assertThat(dead).hasSize(1);
      assertThat(dead.get(0).value()).isEqualTo(bad);
      assertThat(dead.get(0).key()).isEqualTo(JoinerDriver.utf8("t-1"));
      DeadLetter why = JoinerDriver.deadLetterOf(dead.get(0));
      assertThat(why.reason()).isEqualTo(reason);
      assertThat(why.sourceTopic()).isEqualTo(trajectories ? "trajlake.trajectories" : "trajlake.outcomes");
      assertThat(joiner.counter("trajlake.dlq", "reason", reason)).isEqualTo(1.0);

      // And valid records after them are joined as usual
      joiner.send(trajectory("t-1"));
      joiner.send(outcome("o-1", "t-1", "tests_passed", 1.0));
      assertThat(joiner.rewardedValues()).extracting(RewardedTrajectory::getLabelStatus)
          .containsExactly(LabelStatus.PARTIAL);
    }
  }

  @Test
  void aRegistryOutageFailsTheRecordInsteadOfDeadLetteringIt() {
    try (JoinerDriver joiner = new JoinerDriver(stateDir)) {
      // Given a valid outcome whose schema the joiner has not fetched yet, and a registry gone down
      byte[] valid = joiner.encode(outcome("o-1", "t-1", "tests_passed", 1.0));
      joiner.registry.breakWith(new RegistryUnavailableException("http://registry:8080", 3, 503, "Service Unavailable", null));

      // When the outcome arrives
      // Then processing fails with the serde's registry-unavailable reason (under exactly-once the
      // stream thread is replaced and retries from the last commit), and nothing is dead-lettered
      assertThatThrownBy(() -> joiner.sendRaw(false, JoinerDriver.utf8("t-1"), valid, new RecordHeaders()))
          .hasCauseInstanceOf(AvroSerdeException.class)
          .cause()
          .satisfies(e -> assertThat(((AvroSerdeException) e).reason()).isEqualTo(AvroSerdeException.Reason.REGISTRY_UNAVAILABLE));
      assertThat(joiner.deadLetters()).isEmpty();
    }
  }
}
