package org.trajlake.schema.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trajlake.schema.Outcome;
import org.trajlake.schema.TestEvents;
import org.trajlake.schema.Topic;
import org.trajlake.schema.Topics;
import org.trajlake.schema.TrajectoryEvent;
import org.trajlake.schema.registry.HttpSchemaRegistry;
import org.trajlake.schema.registry.RegisteredSchema;
import org.trajlake.schema.registry.SchemaRegistry;
import org.trajlake.schema.serde.AvroSerdeConfig;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;
import org.trajlake.testkit.TestKafka;

/** Registering trajectory-lake's real schemas in a real Apicurio Registry. */
@RealServers({Component.KAFKA, Component.REGISTRY})
class SchemaProvisionerIT {
  private Endpoints servers;
  private SchemaRegistry registry;
  private String prefix;
  private Topics topics;

  @BeforeEach
  void setUp(Endpoints servers) {
    this.servers = servers;
    this.registry = HttpSchemaRegistry.builder(servers.registryUrl()).build();
    // A fresh prefix gives fresh subjects: every IT class shares the registry.
    this.prefix = TestKafka.uniquePrefix("schemas");
    this.topics = Topics.create(prefix, registry, false);
  }

  @Test
  void registersTheValueSchemaOfEveryAvroTopic() {
    // Given a prefix under which no subject exists

    // When the schemas are provisioned
    SchemaProvisioningReport report = new SchemaProvisioner(registry).provision(topics.all());

    // Then the five Avro topics' value subjects hold their schemas (the dead-letter topic has none),
    // each as its only version, under the id the report gives
    List<String> subjects =
        List.of(
            prefix + "events-value",
            prefix + "outcomes-value",
            prefix + "trajectories-value",
            prefix + "trajectories.rewarded-value",
            prefix + "outcomes.orphaned-value");
    assertThat(report.registered()).containsOnlyKeys(subjects);
    assertThat(report.existing()).isEmpty();
    for (String subject : subjects) {
      assertThat(registry.latest(subject))
          .as(subject)
          .hasValueSatisfying(
              latest -> {
                assertThat(latest.version()).isEqualTo(1);
                assertThat(latest.id()).isEqualTo(report.idOf(subject));
              });
    }
  }

  @Test
  void aSecondRunRegistersNothingNew() {
    // Given the schemas provisioned once
    SchemaProvisioner provisioner = new SchemaProvisioner(registry);
    SchemaProvisioningReport first = provisioner.provision(topics.all());

    // When they are provisioned again
    SchemaProvisioningReport second = provisioner.provision(topics.all());

    // Then every subject is found under the id it got the first time, and no version was added
    assertThat(second.registered()).isEmpty();
    assertThat(second.existing()).isEqualTo(first.registered());
    assertThat(registry.latest(topics.events().valueSubject())).map(RegisteredSchema::version).contains(1);
  }

  @Test
  void topicsWithoutAutoRegistrationWriteAndReadOnceTheSchemasAreProvisioned() throws Exception {
    // Given the topics and schemas provisioned
    try (Admin admin = TestKafka.admin(servers.bootstrapServers())) {
      new TopicProvisioner(admin).provision(topics.all());
    }
    new SchemaProvisioner(registry).provision(topics.all());

    // When topics built from plain serde settings (auto-registration off by default) write an event
    // and an outcome
    Topics configured = Topics.create(prefix, Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, servers.registryUrl()));
    TrajectoryEvent event = TestEvents.toolCall();
    Outcome outcome =
        Outcome.newBuilder()
            .setOutcomeId("o-1")
            .setTrajectoryId(event.getTrajectoryId())
            .setWorkspace(event.getWorkspace())
            .setKind("tests_passed")
            .setValue(1.0)
            .setTs(Instant.parse("2026-01-01T00:05:00Z"))
            .setSource("ci")
            .build();
    write(configured.events(), event.getTrajectoryId(), event);
    write(configured.outcomes(), outcome.getTrajectoryId(), outcome);

    // Then both read back as written
    assertThat(readOne(configured.events())).isEqualTo(event);
    assertThat(readOne(configured.outcomes())).isEqualTo(outcome);
  }

  private <V> void write(Topic<String, V> topic, String key, V value) throws Exception {
    try (KafkaProducer<String, V> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.bootstrapServers()),
            topic.keySerde().serializer(),
            topic.valueSerde().serializer())) {
      producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
    }
  }

  private <V> V readOne(Topic<String, V> topic) {
    try (KafkaConsumer<String, V> consumer = TestKafka.consumerFromStart(servers.bootstrapServers(), topic.name(),
        topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
      List<ConsumerRecord<String, V>> records = TestKafka.readAtLeast(consumer, 1);
      assertThat(records).as("records on %s", topic.name()).hasSize(1);
      return records.get(0).value();
    }
  }
}
