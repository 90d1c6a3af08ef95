package org.trajlake.schema.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.OptionalInt;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;

/** The registry client against a real Apicurio Registry speaking the Confluent API. */
@RealServers({Component.KAFKA, Component.REGISTRY})
class HttpSchemaRegistryIT {
  private HttpSchemaRegistry registry;
  private String subject;

  @BeforeEach
  void connect(Endpoints servers) {
    registry = HttpSchemaRegistry.builder(servers.registryUrl()).build();
    // Every IT class shares one registry: a subject of its own keeps each test independent.
    subject = "it-registry-" + System.nanoTime() + "-value";
  }

  @Test
  void registeringReturnsAnIdAndRegisteringAgainReturnsTheSameId() {
    // Given a schema registered under a fresh subject
    int first = registry.register(subject, probe());

    // When the same schema is registered again
    int second = registry.register(subject, probe());

    // Then the registry answers with the same id and keeps a single version
    assertThat(second).isEqualTo(first);
    assertThat(registry.latest(subject)).map(RegisteredSchema::version).contains(1);
  }

  @Test
  void lookupFindsTheIdOfARegisteredSchema() {
    // Given a registered schema
    int id = registry.register(subject, probe());

    // When it is looked up under its subject
    OptionalInt found = registry.lookup(subject, probe());

    // Then its id is found
    assertThat(found).hasValue(id);
  }

  @Test
  void lookupUnderAnUnknownSubjectIsEmpty() {
    // Given a subject nobody registered anything under

    // When a schema is looked up there
    OptionalInt found = registry.lookup(subject, probe());

    // Then nothing is found, and nothing fails
    assertThat(found).isEmpty();
  }

  @Test
  void lookupOfASchemaNotRegisteredUnderAnExistingSubjectIsEmpty() {
    // Given a subject holding one schema
    registry.register(subject, probe());

    // When another schema is looked up under it
    OptionalInt found = registry.lookup(subject, probeWithOptionalNote());

    // Then nothing is found
    assertThat(found).isEmpty();
  }

  @Test
  void schemaByIdReturnsTheRegisteredSchema() {
    // Given a registered schema
    int id = registry.register(subject, probe());

    // When it is fetched by its id
    Schema fetched = registry.schemaById(id);

    // Then it is the schema that was registered
    assertThat(fetched).isEqualTo(probe());
  }

  @Test
  void schemaByIdOfAnUnknownIdThrowsUnknownSchemaIdException() {
    // Given an id far beyond anything this registry has handed out
    int unknown = 2_000_000_000;

    // When the schema of that id is fetched
    // Then the client says the id is unknown, naming it
    assertThatThrownBy(() -> registry.schemaById(unknown))
        .isInstanceOfSatisfying(
            UnknownSchemaIdException.class,
            e -> {
              assertThat(e.id()).isEqualTo(unknown);
              assertThat(e.status()).isEqualTo(404);
            })
        .hasMessageContaining(String.valueOf(unknown));
  }

  @Test
  void latestIsTheNewestVersionOfASubject() {
    // Given a subject with two versions
    registry.register(subject, probe());
    int secondId = registry.register(subject, probeWithOptionalNote());

    // When its latest version is read
    Optional<RegisteredSchema> latest = registry.latest(subject);

    // Then it is the second one, with its id and schema
    assertThat(latest)
        .hasValueSatisfying(
            version -> {
              assertThat(version.subject()).isEqualTo(subject);
              assertThat(version.version()).isEqualTo(2);
              assertThat(version.id()).isEqualTo(secondId);
              assertThat(version.schema()).isEqualTo(probeWithOptionalNote());
            });
  }

  @Test
  void latestOfAnUnknownSubjectIsEmpty() {
    // Given a subject nobody registered anything under

    // When its latest version is read
    // Then there is none
    assertThat(registry.latest(subject)).isEmpty();
  }

  @Test
  void subjectsListsARegisteredSubject() {
    // Given a schema registered under a fresh subject
    registry.register(subject, probe());

    // When the subjects are listed
    // Then the fresh subject is among them
    assertThat(registry.subjects()).contains(subject);
  }

  @Test
  void globalCompatibilityIsBackward() {
    // Given the registry of the local stack

    // When its global compatibility level is read
    // Then it is BACKWARD, the rule the project's schema evolution relies on
    assertThat(registry.compatibility()).isEqualTo("BACKWARD");
  }

  @Test
  void aNewRequiredFieldIsRefusedNamingTheSubjectAndTheRegistrysReason() {
    // Given a subject holding one schema
    registry.register(subject, probe());

    // When a version adding a field without a default is registered
    // Then the registry refuses it: old data has no value for that field
    assertThatThrownBy(() -> registry.register(subject, probeWithRequiredCount()))
        .isInstanceOfSatisfying(
            IncompatibleSchemaException.class,
            e -> {
              assertThat(e.subject()).isEqualTo(subject);
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.registryMessage()).isNotBlank();
              assertThat(e.getMessage()).contains(subject).contains(e.registryMessage());
            });
    assertThat(registry.latest(subject)).map(RegisteredSchema::version).contains(1);
  }

  @Test
  void isCompatibleIsFalseForANewRequiredField() {
    // Given a subject holding one schema
    registry.register(subject, probe());

    // When a version adding a field without a default is checked
    boolean compatible = registry.isCompatible(subject, probeWithRequiredCount());

    // Then it is not compatible
    assertThat(compatible).isFalse();
  }

  @Test
  void isCompatibleIsTrueForANewOptionalFieldWithADefault() {
    // Given a subject holding one schema
    registry.register(subject, probe());

    // When a version adding a field with a default is checked
    boolean compatible = registry.isCompatible(subject, probeWithOptionalNote());

    // Then it is compatible, and checking registered nothing
    assertThat(compatible).isTrue();
    assertThat(registry.latest(subject)).map(RegisteredSchema::version).contains(1);
  }

  @Test
  void isCompatibleIsTrueUnderAnUnknownSubject() {
    // Given a subject nobody registered anything under

    // When any schema is checked against it
    // Then it is compatible: there is nothing to be incompatible with
    assertThat(registry.isCompatible(subject, probeWithRequiredCount())).isTrue();
  }

  private static Schema probe() {
    return SchemaBuilder.record("Probe").namespace("org.trajlake.it").fields().requiredString("id").endRecord();
  }

  private static Schema probeWithOptionalNote() {
    return SchemaBuilder.record("Probe")
        .namespace("org.trajlake.it")
        .fields()
        .requiredString("id")
        .name("note").type().stringType().stringDefault("")
        .endRecord();
  }

  private static Schema probeWithRequiredCount() {
    return SchemaBuilder.record("Probe")
        .namespace("org.trajlake.it")
        .fields()
        .requiredString("id")
        .requiredLong("count")
        .endRecord();
  }
}
