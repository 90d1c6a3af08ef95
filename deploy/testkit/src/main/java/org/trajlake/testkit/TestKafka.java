package org.trajlake.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka plumbing shared by integration tests: unique names (every IT class of a module shares one
 * broker and one registry), topics, raw writes, and reading a topic until a deadline.
 */
public final class TestKafka {
  /** How long a test waits for records it expects; generous for a loaded 2-core machine. */
  public static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  private TestKafka() {}

  /** A topic prefix no other test uses, for example {@code it.recorder.123456789.}. */
  public static String uniquePrefix(String test) {
    return "it." + test + "." + System.nanoTime() + ".";
  }

  public static void createTopics(String bootstrapServers, int partitions, String... topics) {
    List<NewTopic> newTopics = Arrays.stream(topics).map(topic -> new NewTopic(topic, partitions, (short) 1)).toList();
    try (Admin admin = admin(bootstrapServers)) {
      admin.createTopics(newTopics).all().get();
      awaitOpen(admin, newTopics.stream()
          .flatMap(topic -> IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic.name(), p)))
          .toList());
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not create " + Arrays.toString(topics), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits until the leader of each partition has opened its log (DescribeProducers answers from it):
   * a test that produces at once would otherwise have its first request refused, and an idempotent
   * producer can then lose it to KAFKA-15591 (fixed after Kafka 4.1).
   */
  private static void awaitOpen(Admin admin, List<TopicPartition> partitions)
      throws ExecutionException, InterruptedException {
    long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
    while (true) {
      try {
        admin.describeProducers(partitions).all().get();
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  public static Admin admin(String bootstrapServers) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  /** Writes {@code value} as it is, without any serde, as a misbehaving producer would. */
  public static void produceRaw(String bootstrapServers, String topic, String key, byte[] value) {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
            new StringSerializer(),
            new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not write to " + topic, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * A consumer of every partition of {@code topic} from its beginning, reading committed records
   * only. Assigned rather than subscribed: no group rebalance to wait for.
   */
  public static <K, V> KafkaConsumer<K, V> consumerFromStart(
      String bootstrapServers, String topic, Deserializer<K> keys, Deserializer<V> values) {
    KafkaConsumer<K, V> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
            keys,
            values);
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, READ_TIMEOUT).stream()
            .map(info -> new TopicPartition(topic, info.partition()))
            .toList();
    if (partitions.isEmpty()) {
      consumer.close();
      throw new IllegalStateException("the broker knows no partitions of topic " + topic + "; create it first");
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return consumer;
  }

  /** Polls until {@code count} records arrived or {@link #READ_TIMEOUT} passed; returns what arrived. */
  public static <K, V> List<ConsumerRecord<K, V>> readAtLeast(Consumer<K, V> consumer, int count) {
    List<ConsumerRecord<K, V>> records = new ArrayList<>();
    Instant deadline = Instant.now().plus(READ_TIMEOUT);
    while (records.size() < count && Instant.now().isBefore(deadline)) {
      consumer.poll(Duration.ofMillis(500)).forEach(records::add);
    }
    return records;
  }
}
