package org.trajlake.schema.provision;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.trajlake.schema.CleanupPolicy;
import org.trajlake.schema.Topics;
import org.trajlake.schema.registry.InMemorySchemaRegistry;

class TopicProvisionerTest {
  private final Topics topics = Topics.create(Topics.DEFAULT_PREFIX, new InMemorySchemaRegistry(), false);

  @Test
  void onAnEmptyClusterEveryTopicIsCreatedWithItsPolicyPartitionsAndReplication() {
    // Given an empty cluster
    FakeTopicAdmin admin = new FakeTopicAdmin();

    // When the topics are provisioned with 3 partitions and replication factor 2
    TopicProvisioningReport report = new TopicProvisioner(admin, 3, (short) 2).provision(topics.all());

    // Then all six exist, compacted where the design says so
    assertThat(report.created()).hasSize(6);
    assertThat(report.existing()).isEmpty();
    NewTopic trajectories = admin.topics.get("trajlake.trajectories");
    assertThat(trajectories.numPartitions()).isEqualTo(3);
    assertThat(trajectories.replicationFactor()).isEqualTo((short) 2);
    assertThat(trajectories.configs()).containsEntry("cleanup.policy", "compact");
    assertThat(admin.topics.get("trajlake.events").configs()).containsEntry("cleanup.policy", "delete");
  }

  @Test
  void aSecondRunCreatesNothing() {
    // Given a cluster that was provisioned once
    FakeTopicAdmin admin = new FakeTopicAdmin();
    TopicProvisioner provisioner = new TopicProvisioner(admin, 6, (short) 1);
    provisioner.provision(topics.all());
    int requestsAfterFirstRun = admin.createRequests.size();

    // When it is provisioned again
    TopicProvisioningReport report = provisioner.provision(topics.all());

    // Then nothing is created and every topic is reported as existing
    assertThat(report.created()).isEmpty();
    assertThat(report.existing()).hasSize(6);
    assertThat(report.hasMismatches()).isFalse();
    assertThat(admin.createRequests).hasSize(requestsAfterFirstRun);
  }

  @Test
  void existingTopicsAreLeftAloneAndReported() {
    // Given a cluster that already has the events topic, with one partition
    FakeTopicAdmin admin = new FakeTopicAdmin().withTopic("trajlake.events", "delete");

    // When the topics are provisioned
    TopicProvisioningReport report = new TopicProvisioner(admin, 6, (short) 1).provision(topics.all());

    // Then the events topic is reported as existing and was not recreated
    assertThat(report.existing()).containsExactly("trajlake.events");
    assertThat(report.created()).doesNotContain("trajlake.events").hasSize(5);
    assertThat(admin.topics.get("trajlake.events").numPartitions()).isEqualTo(1);
  }

  @Test
  void anExistingTopicWithTheWrongCleanupPolicyIsReportedClearly() {
    // Given a cluster where the trajectories topic was created without compaction
    FakeTopicAdmin admin = new FakeTopicAdmin().withTopic("trajlake.trajectories", "delete");

    // When the topics are provisioned
    TopicProvisioningReport report = new TopicProvisioner(admin, 6, (short) 1).provision(topics.all());

    // Then the mismatch is reported with what is and what is needed, and the topic is untouched
    assertThat(report.mismatches())
        .containsExactly(new CleanupPolicyMismatch("trajlake.trajectories", CleanupPolicy.COMPACT, "delete"));
    assertThat(report.summary())
        .contains("trajlake.trajectories exists with cleanup.policy=delete but needs compact");
    assertThat(admin.topics.get("trajlake.trajectories").configs()).containsEntry("cleanup.policy", "delete");
  }

  @Test
  void aTopicCreatedConcurrentlyCountsAsExisting() {
    // Given another process that creates the outcomes topic while we provision
    FakeTopicAdmin admin = new FakeTopicAdmin();
    admin.createdConcurrently.add("trajlake.outcomes");

    // When the topics are provisioned
    TopicProvisioningReport report = new TopicProvisioner(admin, 6, (short) 1).provision(topics.all());

    // Then it is reported as existing, not as an error and not as created by us
    assertThat(report.existing()).containsExactly("trajlake.outcomes");
    assertThat(report.created()).doesNotContain("trajlake.outcomes");
  }
}
