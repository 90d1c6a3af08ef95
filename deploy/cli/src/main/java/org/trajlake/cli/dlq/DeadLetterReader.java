package org.trajlake.cli.dlq;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.trajlake.runtime.DeadLetter;

/**
 * Reads the dead-letter topic from its start to where it ended when reading began, without a
 * consumer group (nothing is committed, so reading changes nothing for anyone else), and only
 * committed records: ingest-streams writes its dead letters in its transactions.
 */
public final class DeadLetterReader {
  private final Map<String, Object> consumerProperties;
  private final Duration timeout;

  /**
   * @param consumerProperties bootstrap servers and any client settings (SASL, TLS)
   * @param timeout how long reading may take before it gives up, saying how far it got
   */
  public DeadLetterReader(Map<String, Object> consumerProperties, Duration timeout) {
    this.consumerProperties = new HashMap<>(consumerProperties);
    this.consumerProperties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.consumerProperties.remove(ConsumerConfig.GROUP_ID_CONFIG);
    // A mistyped prefix must not leave a new, empty dead-letter topic behind.
    this.consumerProperties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    this.timeout = timeout;
  }

  /**
   * Hands every dead letter of {@code topic} to {@code sink}, in order within each partition.
   *
   * @throws IllegalStateException when the topic does not exist or reading takes longer than the timeout
   */
  public void read(String topic, Consumer<DeadLetterSummary.Entry> sink) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions;
      try {
        partitions = consumer.partitionsFor(topic, timeout).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      } catch (TimeoutException e) {
        throw new IllegalStateException("no answer from Kafka at " + consumerProperties.get(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG) + " within " + timeout.toSeconds() + " s; check bootstrap.servers", e);
      }
      if (partitions.isEmpty()) {
        throw new IllegalStateException("topic " + topic + " does not exist; check topic.prefix and bootstrap.servers");
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
      long read = 0;
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!reachedEnd(consumer, ends)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("read " + read + " records of " + topic + " in " + timeout.toSeconds()
              + " s without reaching its end; is the broker reachable?");
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          read++;
          sink.accept(new DeadLetterSummary.Entry(DeadLetter.from(record.headers()).orElse(null),
              record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8),
              record.value() == null ? -1 : record.value().length));
        }
      }
    }
  }

  private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
    // Positions, not records seen: the markers of transactions take offsets too.
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      if (consumer.position(end.getKey()) < end.getValue()) {
        return false;
      }
    }
    return true;
  }
}
