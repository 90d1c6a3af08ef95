package org.trajlake.sink.commit;

import java.time.Clock;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.trajlake.runtime.DeadLetter;

/**
 * Sends records the sink cannot use to {@code <prefix>dlq}: the original key, value, timestamp and
 * headers, plus the {@link DeadLetter} headers saying why. Flushed before every commit, so a record
 * whose offset a snapshot covers is in the table or in the dead-letter topic (a crash before the commit
 * may send it twice: the dead-letter topic is at-least-once).
 */
final class SinkDeadLetters {
  static final String STAGE = "iceberg-sink";
  private static final int MAX_DETAIL_CHARS = 2_000;

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final Clock clock;

  SinkDeadLetters(Producer<byte[], byte[]> producer, String topic, Clock clock) {
    this.producer = producer;
    this.topic = topic;
    this.clock = clock;
  }

  void send(ConsumerRecord<byte[], byte[]> record, String reason, String detail) {
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    String shortDetail = detail.length() > MAX_DETAIL_CHARS ? detail.substring(0, MAX_DETAIL_CHARS) + "..." : detail;
    new DeadLetter(reason, shortDetail, STAGE, record.topic(), record.partition(), record.offset(), clock.instant())
        .addTo(headers);
    Long timestamp = record.timestamp() >= 0 ? record.timestamp() : null;
    producer.send(new ProducerRecord<>(topic, null, timestamp, record.key(), record.value(), headers));
  }

  void flush() {
    producer.flush();
  }
}
