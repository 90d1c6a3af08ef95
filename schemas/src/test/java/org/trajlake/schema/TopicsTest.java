package org.trajlake.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.trajlake.schema.registry.InMemorySchemaRegistry;

class TopicsTest {

  @Test
  void theDefaultPrefixGivesTheDesignedNamesAndPolicies() {
    // When the topics are built with the default prefix
    Topics topics = Topics.create(Topics.DEFAULT_PREFIX, new InMemorySchemaRegistry(), false);

    // Then names and cleanup policies are the ones in the design
    assertThat(topics.all())
        .extracting(Topic::name, Topic::cleanupPolicy)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("trajlake.events", CleanupPolicy.DELETE),
            org.assertj.core.groups.Tuple.tuple("trajlake.outcomes", CleanupPolicy.DELETE),
            org.assertj.core.groups.Tuple.tuple("trajlake.trajectories", CleanupPolicy.COMPACT),
            org.assertj.core.groups.Tuple.tuple("trajlake.trajectories.rewarded", CleanupPolicy.COMPACT),
            org.assertj.core.groups.Tuple.tuple("trajlake.outcomes.orphaned", CleanupPolicy.DELETE),
            org.assertj.core.groups.Tuple.tuple("trajlake.dlq", CleanupPolicy.DELETE));
  }

  @Test
  void anotherPrefixRenamesEveryTopic() {
    // When the topics are built with a test prefix
    Topics topics = Topics.create("it-42.", new InMemorySchemaRegistry(), false);

    // Then every name carries it
    assertThat(topics.all()).allSatisfy(topic -> assertThat(topic.name()).startsWith("it-42."));
    assertThat(topics.rewardedTrajectories().name()).isEqualTo("it-42.trajectories.rewarded");
  }

  @Test
  void avroTopicsCarryTheirSchemaAndTheDeadLetterTopicCarriesBytes() {
    // When the topics are built
    Topics topics = Topics.create(Topics.DEFAULT_PREFIX, new InMemorySchemaRegistry(), false);

    // Then Avro topics know their value schema and subject; the dead-letter topic has none
    assertThat(topics.events().valueSchema()).contains(TrajectoryEvent.getClassSchema());
    assertThat(topics.events().valueSubject()).isEqualTo("trajlake.events-value");
    assertThat(topics.orphanedOutcomes().valueSchema()).contains(Outcome.getClassSchema());
    assertThat(topics.deadLetters().valueSchema()).isEmpty();
  }

  @Test
  void keysAreUtf8Strings() {
    // Given the events topic
    Topic<String, TrajectoryEvent> events = Topics.create("p.", new InMemorySchemaRegistry(), false).events();

    // When a trajectory id is written as a key
    byte[] key = events.keySerde().serializer().serialize(events.name(), "traj-🚀");

    // Then the bytes are its UTF-8 encoding, readable by any client
    assertThat(key).isEqualTo("traj-🚀".getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void valueSerdesWriteUnderTheirOwnTopicsSubject() {
    // Given topics with auto-registration on
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    Topics topics = Topics.create("p.", registry, true);

    // When an event is written with the events topic's serde
    topics.events().valueSerde().serializer().serialize(topics.events().name(), TestEvents.toolCall());

    // Then its schema is registered under that topic's subject
    assertThat(registry.subjects()).containsExactly("p.events-value");
  }

  @Test
  void anIllegalPrefixIsRejected() {
    // When a prefix with a character Kafka forbids is used
    // Then building the topics fails, saying which characters are allowed
    assertThatThrownBy(() -> Topics.create("trajlake/", new InMemorySchemaRegistry(), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a-z A-Z 0-9 . _ -");
  }

  @Test
  void buildingFromSerdeConfigRequiresTheRegistryUrl() {
    // When the topics are built from a config without schema.registry.url
    // Then it fails naming the key
    assertThatThrownBy(() -> Topics.create(Topics.DEFAULT_PREFIX, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url");
  }
}
