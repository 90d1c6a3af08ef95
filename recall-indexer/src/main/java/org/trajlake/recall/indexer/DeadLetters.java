package org.trajlake.recall.indexer;

import java.time.Clock;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.trajlake.runtime.DeadLetter;

/**
 * Sends records the indexer cannot use to {@code <prefix>dlq}: the original key, value, timestamp
 * and headers, plus the {@link DeadLetter} headers saying why and where from.
 */
final class DeadLetters {
  static final String STAGE = "recall-indexer";
  // OpenSearch can explain a rejection at length; a header stays readable and far below the record limit.
  private static final int MAX_DETAIL_CHARS = 2_000;

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final Clock clock;

  DeadLetters(Producer<byte[], byte[]> producer, String topic, Clock clock) {
    this.producer = producer;
    this.topic = topic;
    this.clock = clock;
  }

  Future<RecordMetadata> send(ConsumerRecord<byte[], byte[]> record, String reason, String detail) {
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    String shortDetail = detail.length() > MAX_DETAIL_CHARS ? detail.substring(0, MAX_DETAIL_CHARS) + "..." : detail;
    new DeadLetter(reason, shortDetail, STAGE, record.topic(), record.partition(), record.offset(), clock.instant())
        .addTo(headers);
    Long timestamp = record.timestamp() >= 0 ? record.timestamp() : null;
    return producer.send(new ProducerRecord<>(topic, null, timestamp, record.key(), record.value(), headers));
  }

  /** Blocks until every record sent so far is acknowledged or has failed. */
  void flush() {
    producer.flush();
  }
}
