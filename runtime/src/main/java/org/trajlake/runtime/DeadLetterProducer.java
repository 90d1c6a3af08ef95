package org.trajlake.runtime;

import java.time.Clock;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Sends the records a plain-consumer service (recall-indexer, iceberg-sink) cannot use to
 * {@code <prefix>dlq}: the original key, value, timestamp and headers, plus the {@link DeadLetter}
 * headers saying why, from which stage and from where. Flush before committing the offsets (or the
 * snapshot) that cover a dead-lettered record, so it is in the dead-letter topic whatever happens next.
 */
public final class DeadLetterProducer {
  // A store can explain a rejection at length; a header stays readable and far below the record limit.
  private static final int MAX_DETAIL_CHARS = 2_000;

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final String stage;
  private final Clock clock;
  // Failures of the sends since the last flushAndCheck().
  private volatile SendFailures failures = new SendFailures();

  /** @param stage the service, as {@link DeadLetter#stage()} names it, e.g. {@code recall-indexer} */
  public DeadLetterProducer(Producer<byte[], byte[]> producer, String topic, String stage, Clock clock) {
    this.producer = producer;
    this.topic = topic;
    this.stage = stage;
    this.clock = clock;
  }

  public String stage() {
    return stage;
  }

  public Future<RecordMetadata> send(ConsumerRecord<byte[], byte[]> record, String reason, String detail) {
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    String shortDetail = detail.length() > MAX_DETAIL_CHARS ? detail.substring(0, MAX_DETAIL_CHARS) + "..." : detail;
    new DeadLetter(reason, shortDetail, stage, record.topic(), record.partition(), record.offset(), clock.instant())
        .addTo(headers);
    Long timestamp = record.timestamp() >= 0 ? record.timestamp() : null;
    return producer.send(new ProducerRecord<>(topic, null, timestamp, record.key(), record.value(), headers), failures);
  }

  /** Blocks until every record sent so far is acknowledged or has failed; callers check each send's future. */
  public void flush() {
    producer.flush();
  }

  /**
   * Blocks until every record sent so far is acknowledged, and throws if one sent since the last call
   * failed: for a caller about to commit offsets that cover them without holding each future.
   *
   * @throws IllegalStateException naming how many dead letters were not written and why
   */
  public void flushAndCheck() {
    SendFailures window = failures;
    failures = new SendFailures();
    producer.flush();
    window.check("the dead letters to " + topic);
  }
}
