package org.trajlake.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class DeadLetterProducerTest {
  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final DeadLetterProducer deadLetters = new DeadLetterProducer(producer, "t.dlq", "iceberg-sink", Clock.systemUTC());
  private final ConsumerRecord<byte[], byte[]> bad = new ConsumerRecord<>("t.in", 0, 7L, new byte[] {1}, new byte[] {2});

  @Test
  void aDeadLetterThatWasNotWrittenFailsTheCheckBeforeACommit() {
    // Given two dead letters, the first of which the broker never acknowledges
    deadLetters.send(bad, "decode-failed", "bytes that do not decode");
    deadLetters.send(bad, "decode-failed", "bytes that do not decode");
    producer.errorNext(new TimeoutException("expired after 120000 ms"));

    // Then the check before a commit fails, naming the topic and the cause
    assertThatThrownBy(deadLetters::flushAndCheck)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("1 records of the dead letters to t.dlq were not written")
        .hasMessageContaining("expired after 120000 ms");
    // and a later window starts clean
    deadLetters.send(bad, "decode-failed", "again");
    assertThatCode(deadLetters::flushAndCheck).doesNotThrowAnyException();
    assertThat(producer.history()).hasSize(3);
  }
}
