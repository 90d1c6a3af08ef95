package org.trajlake.schema.provision;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.NewTopic;

/** The three questions {@link TopicProvisioner} asks a cluster; a seam so tests can use a fake. */
interface TopicAdmin {
  Set<String> topicNames();

  /** The {@code cleanup.policy} of each named topic. */
  Map<String, String> cleanupPolicies(Collection<String> topics);

  /**
   * Creates the topics and returns once every partition of those it created takes writes; returns
   * the names that turned out to exist already (created concurrently).
   */
  Set<String> create(List<NewTopic> topics);
}
