package org.trajlake.schema.provision;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/** A cluster's topics in memory. */
final class FakeTopicAdmin implements TopicAdmin {
  final Map<String, NewTopic> topics = new HashMap<>();
  final List<NewTopic> createRequests = new ArrayList<>();
  /** Topics another process creates between our listing and our create call. */
  final Set<String> createdConcurrently = new HashSet<>();

  FakeTopicAdmin withTopic(String name, String cleanupPolicy) {
    topics.put(name, new NewTopic(name, 1, (short) 1).configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy)));
    return this;
  }

  @Override
  public Set<String> topicNames() {
    return new HashSet<>(topics.keySet());
  }

  @Override
  public Map<String, String> cleanupPolicies(Collection<String> names) {
    Map<String, String> policies = new HashMap<>();
    for (String name : names) {
      policies.put(name, topics.get(name).configs().getOrDefault(TopicConfig.CLEANUP_POLICY_CONFIG, "delete"));
    }
    return policies;
  }

  @Override
  public Set<String> create(List<NewTopic> requested) {
    Set<String> existed = new HashSet<>();
    for (NewTopic topic : requested) {
      createRequests.add(topic);
      if (createdConcurrently.contains(topic.name())) {
        existed.add(topic.name());
        withTopic(topic.name(), topic.configs().get(TopicConfig.CLEANUP_POLICY_CONFIG));
      } else {
        topics.put(topic.name(), topic);
      }
    }
    return existed;
  }
}
