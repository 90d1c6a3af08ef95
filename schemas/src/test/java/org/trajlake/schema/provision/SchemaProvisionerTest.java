package org.trajlake.schema.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.trajlake.schema.TestEvents;
import org.trajlake.schema.Topics;
import org.trajlake.schema.registry.IncompatibleSchemaException;
import org.trajlake.schema.registry.InMemorySchemaRegistry;

class SchemaProvisionerTest {

  @Test
  void everyAvroValueSchemaIsRegisteredUnderItsTopicValueSubject() {
    // Given an empty registry
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    Topics topics = Topics.create(Topics.DEFAULT_PREFIX, registry, false);

    // When the schemas are provisioned
    SchemaProvisioningReport report = new SchemaProvisioner(registry).provision(topics.all());

    // Then each Avro topic has its subject; the dead-letter topic (raw bytes) has none
    assertThat(registry.subjects())
        .containsExactlyInAnyOrder(
            "trajlake.events-value",
            "trajlake.outcomes-value",
            "trajlake.trajectories-value",
            "trajlake.trajectories.rewarded-value",
            "trajlake.outcomes.orphaned-value");
    assertThat(report.registered()).hasSize(5);
    assertThat(report.existing()).isEmpty();
  }

  @Test
  void aSecondRunRegistersNothing() {
    // Given a registry provisioned once
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    Topics topics = Topics.create(Topics.DEFAULT_PREFIX, registry, false);
    SchemaProvisioner provisioner = new SchemaProvisioner(registry);
    SchemaProvisioningReport first = provisioner.provision(topics.all());

    // When it is provisioned again
    SchemaProvisioningReport second = provisioner.provision(topics.all());

    // Then every schema is reported as existing with the same id, and no version was added
    assertThat(second.registered()).isEmpty();
    assertThat(second.existing()).isEqualTo(first.registered());
    assertThat(registry.versionCount("trajlake.events-value")).isEqualTo(1);
  }

  @Test
  void agentsWithAutoRegisterOffCanWriteAfterProvisioning() {
    // Given provisioned schemas and serdes that never register
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    Topics topics = Topics.create(Topics.DEFAULT_PREFIX, registry, false);
    SchemaProvisioningReport report = new SchemaProvisioner(registry).provision(topics.all());

    // When an event is written
    byte[] bytes = topics.events().valueSerde().serializer().serialize(topics.events().name(), TestEvents.toolCall());

    // Then it carries the provisioned id: the serde looks up exactly the form that was registered
    int id = ((bytes[1] & 0xff) << 24) | ((bytes[2] & 0xff) << 16) | ((bytes[3] & 0xff) << 8) | (bytes[4] & 0xff);
    assertThat(id).isEqualTo(report.idOf("trajlake.events-value"));
  }

  @Test
  void anIncompatibleRegisteredSchemaFailsNamingTheSubject() {
    // Given a registry where trajlake.outcomes-value already holds an unrelated schema
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    Schema unrelated = SchemaBuilder.record("Outcome").namespace("org.trajlake.schema").fields().requiredInt("score").endRecord();
    registry.register("trajlake.outcomes-value", unrelated);
    Topics topics = Topics.create(Topics.DEFAULT_PREFIX, registry, false);

    // When the schemas are provisioned
    // Then it fails with an IncompatibleSchemaException naming the subject
    assertThatThrownBy(() -> new SchemaProvisioner(registry).provision(topics.all()))
        .isInstanceOfSatisfying(
            IncompatibleSchemaException.class, e -> assertThat(e.subject()).isEqualTo("trajlake.outcomes-value"))
        .hasMessageContaining("trajlake.outcomes-value");
  }
}
