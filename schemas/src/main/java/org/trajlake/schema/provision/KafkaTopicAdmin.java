package org.trajlake.schema.provision;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.ExponentialBackoff;

/** {@link TopicAdmin} over a Kafka {@link Admin} client, waiting at most {@code timeout} per call. */
final class KafkaTopicAdmin implements TopicAdmin {
  // Metadata of a new topic reaches the brokers within milliseconds; back off briefly, then more.
  private static final ExponentialBackoff METADATA_BACKOFF = new ExponentialBackoff(50, 2, 1_000, 0.2);

  private final Admin admin;
  private final Duration timeout;

  KafkaTopicAdmin(Admin admin, Duration timeout) {
    this.admin = admin;
    this.timeout = timeout;
  }

  @Override
  public Set<String> topicNames() {
    return await(admin.listTopics().names(), "list topics");
  }

  @Override
  public Map<String, String> cleanupPolicies(Collection<String> topics) {
    List<ConfigResource> resources =
        topics.stream().map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
    Map<ConfigResource, Config> configs = describeConfigs(resources);
    Map<String, String> policies = new HashMap<>();
    configs.forEach(
        (resource, config) -> {
          ConfigEntry entry = config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
          policies.put(resource.name(), entry == null || entry.value() == null ? "delete" : entry.value());
        });
    return policies;
  }

  @Override
  public Set<String> create(List<NewTopic> topics) {
    Set<String> alreadyThere = new HashSet<>();
    for (Map.Entry<String, KafkaFuture<Void>> result : admin.createTopics(topics).values().entrySet()) {
      try {
        result.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new KafkaException("Could not create topic " + result.getKey() + ": " + e.getCause().getMessage(), e.getCause());
        }
        alreadyThere.add(result.getKey());
      } catch (TimeoutException e) {
        throw new KafkaException("Timed out after " + timeout + " creating topic " + result.getKey(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KafkaException("Interrupted while creating topic " + result.getKey(), e);
      }
    }
    awaitWritable(topics.stream().filter(topic -> !alreadyThere.contains(topic.name())).toList());
    return alreadyThere;
  }

  /**
   * Waits until the leader of every partition of {@code topics} has opened its log. A created topic
   * is known to the controller first; a produce request that reaches the broker before it opened the
   * partition is refused (NOT_LEADER_OR_FOLLOWER) and retried, and an idempotent producer with
   * several requests in flight can then have a later request appended first and its first one
   * refused as out of order until it expires (KAFKA-15591, fixed after Kafka 4.1). DescribeProducers
   * is answered from the partition's open log, so once it answers for a partition, produce does too.
   */
  private void awaitWritable(List<NewTopic> topics) {
    // TopicProvisioner always names the partition count, so the partitions need no describe call.
    List<TopicPartition> partitions = topics.stream()
        .flatMap(topic -> IntStream.range(0, topic.numPartitions()).mapToObj(p -> new TopicPartition(topic.name(), p)))
        .toList();
    if (!partitions.isEmpty()) {
      retrying(() -> admin.describeProducers(partitions).all(), "wait for the new topics' partitions to open");
    }
  }

  /**
   * The configs of {@code resources}, asking again while the broker does not know a topic yet: one
   * that another process created a moment ago (the race {@link TopicProvisioner} reports as
   * existing) is known to the controller before it reaches the brokers, which answer
   * UnknownTopicOrPartition, a retriable error, until then.
   */
  private Map<ConfigResource, Config> describeConfigs(List<ConfigResource> resources) {
    return retrying(() -> admin.describeConfigs(resources).all(), "describe topic configs");
  }

  /** The result of {@code call}, called again after a backoff while it fails for a retriable reason, within the timeout. */
  private <T> T retrying(Supplier<KafkaFuture<T>> call, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int attempt = 0; ; attempt++) {
      try {
        return await(call.get(), what);
      } catch (KafkaException e) {
        long backoffMillis = METADATA_BACKOFF.backoff(attempt);
        boolean retriable = e.getCause() instanceof RetriableException;
        if (!retriable || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis) > deadline) {
          throw e;
        }
        sleep(backoffMillis);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("Interrupted while waiting for topic metadata", e);
    }
  }

  private <T> T await(KafkaFuture<T> future, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new KafkaException("Could not " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaException("Timed out after " + timeout + " trying to " + what + "; is bootstrap.servers right?", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("Interrupted while trying to " + what, e);
    }
  }
}
