package org.trajlake.schema.provision;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.trajlake.schema.Topic;

/**
 * Creates the topics that are missing, with compaction where the topic definition asks for it.
 * Idempotent: existing topics are left alone (never altered, never deleted), but one whose cleanup
 * policy differs is reported, because a compacted table on a delete topic loses its old keys.
 */
public final class TopicProvisioner {
  public static final int DEFAULT_PARTITIONS = 6;
  public static final short DEFAULT_REPLICATION_FACTOR = 1;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final TopicAdmin admin;
  private final int partitions;
  private final short replicationFactor;

  /** Local defaults: {@value #DEFAULT_PARTITIONS} partitions, replication factor 1. */
  public TopicProvisioner(Admin admin) {
    this(admin, DEFAULT_PARTITIONS, DEFAULT_REPLICATION_FACTOR, DEFAULT_TIMEOUT);
  }

  public TopicProvisioner(Admin admin, int partitions, short replicationFactor, Duration timeout) {
    this(new KafkaTopicAdmin(admin, timeout), partitions, replicationFactor);
  }

  TopicProvisioner(TopicAdmin admin, int partitions, short replicationFactor) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException("replication factor must be at least 1, was " + replicationFactor);
    }
    this.admin = admin;
    this.partitions = partitions;
    this.replicationFactor = replicationFactor;
  }

  public TopicProvisioningReport provision(Collection<? extends Topic<?, ?>> topics) {
    Set<String> present = admin.topicNames();
    List<NewTopic> missing = new ArrayList<>();
    List<Topic<?, ?>> existingTopics = new ArrayList<>();
    for (Topic<?, ?> topic : topics) {
      if (present.contains(topic.name())) {
        existingTopics.add(topic);
      } else {
        missing.add(
            new NewTopic(topic.name(), partitions, replicationFactor)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, topic.cleanupPolicy().configValue())));
      }
    }
    Set<String> raced = missing.isEmpty() ? Set.of() : admin.create(missing);
    List<String> created = new ArrayList<>();
    for (NewTopic topic : missing) {
      if (raced.contains(topic.name())) {
        // Another process created it between our listing and our create: it is an existing topic.
        topics.stream().filter(t -> t.name().equals(topic.name())).forEach(existingTopics::add);
      } else {
        created.add(topic.name());
      }
    }
    List<CleanupPolicyMismatch> mismatches = mismatches(existingTopics);
    return new TopicProvisioningReport(
        created, existingTopics.stream().map(Topic::name).toList(), mismatches);
  }

  private List<CleanupPolicyMismatch> mismatches(List<Topic<?, ?>> existing) {
    if (existing.isEmpty()) {
      return List.of();
    }
    Map<String, String> policies = admin.cleanupPolicies(existing.stream().map(Topic::name).toList());
    List<CleanupPolicyMismatch> mismatches = new ArrayList<>();
    for (Topic<?, ?> topic : existing) {
      String actual = policies.getOrDefault(topic.name(), TopicConfig.CLEANUP_POLICY_DELETE);
      if (!policySet(actual).equals(Set.of(topic.cleanupPolicy().configValue()))) {
        mismatches.add(new CleanupPolicyMismatch(topic.name(), topic.cleanupPolicy(), actual));
      }
    }
    return mismatches;
  }

  // Kafka accepts "compact,delete" in any order and spacing.
  private static Set<String> policySet(String value) {
    Set<String> parts = new TreeSet<>();
    Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(parts::add);
    return parts;
  }
}
