package org.trajlake.runtime;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Kafka client settings of the services that read with a plain consumer and dead-letter with a plain
 * producer (recall-indexer, iceberg-sink). Each service adds its own settings, then the user's overrides.
 */
public final class PlainClientProperties {
  private PlainClientProperties() {}

  /**
   * The input consumer: read_committed, because the inputs come from exactly-once Streams apps and
   * aborted records must never be used; no automatic commits (each service commits once its records are
   * stored); a new group reads from the start; a dead instance's partitions move after 10 s (the client
   * default is 45 s).
   */
  public static Map<String, Object> consumer(String bootstrapServers, String groupId) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-consumer");
    return props;
  }

  /** The dead-letter producer: idempotent, every replica acknowledges, lz4. */
  public static Map<String, Object> deadLetterProducer(String bootstrapServers, String groupId) {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.CLIENT_ID_CONFIG, groupId + "-dlq");
    return props;
  }
}
