package org.trajlake.schema.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trajlake.schema.CleanupPolicy;
import org.trajlake.schema.Topic;
import org.trajlake.schema.Topics;
import org.trajlake.schema.serde.AvroSerdeConfig;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;
import org.trajlake.testkit.TestKafka;

/** Creating trajectory-lake's topics on a real Kafka broker. */
@RealServers({Component.KAFKA, Component.REGISTRY})
class TopicProvisionerIT {
  private Admin admin;
  private String bootstrapServers;
  private Topics topics;

  @BeforeEach
  void setUp(Endpoints servers) {
    bootstrapServers = servers.bootstrapServers();
    admin = TestKafka.admin(bootstrapServers);
    // A fresh prefix: every IT class shares the broker. Building the topics contacts no registry.
    topics =
        Topics.create(
            TestKafka.uniquePrefix("topics"), Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, servers.registryUrl()));
  }

  @AfterEach
  void closeAdmin() {
    admin.close();
  }

  @Test
  void createsEveryTopicWithSixPartitionsAndItsCleanupPolicy() {
    // Given a prefix under which no topic exists

    // When the topics are provisioned with the local defaults
    TopicProvisioningReport report = new TopicProvisioner(admin).provision(topics.all());

    // Then all six were created, each with 6 partitions and the cleanup policy its definition gives:
    // compact for the two tables of latest versions, delete for the streams of facts
    assertThat(report.created()).containsExactlyInAnyOrderElementsOf(names(topics.all()));
    assertThat(report.existing()).isEmpty();
    assertThat(report.hasMismatches()).isFalse();
    // (read once the broker has caught up with the controller, a moment after creation)
    List<String> names = names(topics.all());
    await().atMost(TestKafka.READ_TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      assertThat(partitionCounts(names)).containsOnlyKeys(names).allSatisfy(
          (topic, partitions) -> assertThat(partitions).as(topic).isEqualTo(TopicProvisioner.DEFAULT_PARTITIONS));
      Map<String, String> policies = cleanupPolicies(names);
      topics.all().forEach(topic -> assertThat(policies.get(topic.name())).as(topic.name())
          .isEqualTo(topic.cleanupPolicy().configValue()));
      assertThat(policies.get(topics.trajectories().name())).isEqualTo("compact");
      assertThat(policies.get(topics.rewardedTrajectories().name())).isEqualTo("compact");
      assertThat(policies.get(topics.events().name())).isEqualTo("delete");
    });
  }

  @Test
  void aSecondRunFindsEveryTopicExisting() {
    // Given the topics provisioned once
    TopicProvisioner provisioner = new TopicProvisioner(admin);
    provisioner.provision(topics.all());

    // When they are provisioned again
    TopicProvisioningReport again = provisioner.provision(topics.all());

    // Then nothing is created and all six are reported as existing, correctly configured
    assertThat(again.created()).isEmpty();
    assertThat(again.existing()).containsExactlyInAnyOrderElementsOf(names(topics.all()));
    assertThat(again.hasMismatches()).isFalse();
  }

  @Test
  void aTrajectoriesTopicThatDeletesInsteadOfCompactingIsReportedAsAMismatch() throws Exception {
    // Given <prefix>trajectories created by hand with cleanup.policy=delete
    String trajectories = topics.trajectories().name();
    admin.createTopics(List.of(new NewTopic(trajectories, 1, (short) 1)
        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)))).all().get();

    // When the topics are provisioned
    TopicProvisioningReport report = new TopicProvisioner(admin).provision(topics.all());

    // Then the other five are created, and the hand-made topic is reported (not altered) with how to
    // fix it, even though the broker may not have known it yet when the provisioner listed the topics
    assertThat(report.existing()).containsExactly(trajectories);
    assertThat(report.created()).hasSize(5).doesNotContain(trajectories);
    assertThat(report.mismatches()).containsExactly(
        new CleanupPolicyMismatch(trajectories, CleanupPolicy.COMPACT, "delete"));
    assertThat(report.summary()).contains(trajectories).contains("cleanup.policy=compact");
    assertThat(cleanupPolicies(List.of(trajectories))).containsEntry(trajectories, "delete");
  }

  @Test
  void everyPartitionTakesWritesAsSoonAsProvisioningReturns() throws Exception {
    // Given freshly provisioned topics
    TopicProvisioningReport report = new TopicProvisioner(admin).provision(topics.all());
    assertThat(report.created()).hasSize(6);

    // When a producer that never retries writes to every partition at once. (An idempotent producer
    // retries a refused request, but with several in flight a later one can be appended first and the
    // refused one then rejected as out of order until it expires: KAFKA-15591, fixed after Kafka 4.1.
    // The benchmarks hit it when they produced right after creating their topics.)
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.RETRIES_CONFIG, 0,
        ProducerConfig.LINGER_MS_CONFIG, 0);
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (String topic : report.created()) {
        for (int partition = 0; partition < TopicProvisioner.DEFAULT_PARTITIONS; partition++) {
          byte[] key = (topic + partition).getBytes(StandardCharsets.UTF_8); // two of the topics are compacted
          sent.add(producer.send(new ProducerRecord<>(topic, partition, key, new byte[300])));
        }
      }
      producer.flush();
    }

    // Then no partition refused its first write (NOT_LEADER_OR_FOLLOWER while its log was not open yet)
    for (Future<RecordMetadata> record : sent) {
      assertThat(record.get().offset()).isZero();
    }
  }

  private static List<String> names(List<Topic<?, ?>> topics) {
    return topics.stream().map(Topic::name).toList();
  }

  private Map<String, Integer> partitionCounts(List<String> names) throws ExecutionException, InterruptedException {
    Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames().get();
    return descriptions.values().stream()
        .collect(Collectors.toMap(TopicDescription::name, description -> description.partitions().size()));
  }

  private Map<String, String> cleanupPolicies(List<String> names) throws ExecutionException, InterruptedException {
    List<ConfigResource> resources =
        names.stream().map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
    Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
    return configs.entrySet().stream()
        .collect(Collectors.toMap(
            entry -> entry.getKey().name(),
            entry -> entry.getValue().get(TopicConfig.CLEANUP_POLICY_CONFIG).value()));
  }
}
