package org.trajlake.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.trajlake.schema.Schemas;
import org.trajlake.schema.TestEvents;
import org.trajlake.schema.TrajectoryEvent;
import org.trajlake.schema.registry.HttpSchemaRegistry;
import org.trajlake.schema.registry.SchemaRegistry;
import org.trajlake.schema.serde.AvroSerdeException.Reason;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.stack.LocalStack;
import org.trajlake.testkit.RealServers;
import org.trajlake.testkit.TestKafka;

/**
 * The registry goes down and comes back. This class stops the shared registry, so it restarts it in
 * a finally: the IT classes run in one JVM in no fixed order, and later ones need it up.
 */
@RealServers({Component.KAFKA, Component.REGISTRY})
class RegistryOutageIT {

  @Test
  void serdeCallsFailAsRegistryUnavailableDuringAnOutageAndWorkAgainWithTheSameIdsAfterIt(
      Endpoints servers, LocalStack stack) {
    // Given the events schema registered under a fresh subject, a payload written with it, and a
    // serde that has not asked the registry anything yet (nothing cached)
    String topic = TestKafka.uniquePrefix("outage") + "events";
    String subject = topic + "-value";
    Schema schema = Schemas.portable(TrajectoryEvent.getClassSchema());
    SchemaRegistry registry = HttpSchemaRegistry.builder(servers.registryUrl()).build();
    int id = registry.register(subject, schema);
    TrajectoryEvent event = TestEvents.toolCall();
    byte[] written =
        ConfluentAvroSerde.forValues(TrajectoryEvent.class, registry, false).serializer().serialize(topic, event);
    // Short request timeouts: a stage must learn of the outage in seconds, not hang.
    ConfluentAvroSerde<TrajectoryEvent> serde =
        ConfluentAvroSerde.forValues(
            TrajectoryEvent.class,
            Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, servers.registryUrl(),
                AvroSerdeConfig.REQUEST_TIMEOUT_MS, 2_000));

    try {
      // When the registry is stopped
      stack.stop(Set.of(Component.REGISTRY));

      // Then writing and reading fail as the registry being unavailable (not as a bad record),
      // naming the registry's URL
      assertThatThrownBy(() -> serde.serializer().serialize(topic, event))
          .isInstanceOfSatisfying(AvroSerdeException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.REGISTRY_UNAVAILABLE);
            assertThat(e.reason().isBadRecord()).isFalse();
          })
          .hasMessageContaining(servers.registryUrl());
      assertThatThrownBy(() -> serde.deserializer().deserialize(topic, written))
          .isInstanceOfSatisfying(
              AvroSerdeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.REGISTRY_UNAVAILABLE))
          .hasMessageContaining(servers.registryUrl());
    } finally {
      stack.up(Set.of(Component.REGISTRY));
    }

    // And once it is back, the same serde instance writes and reads again, and the schema registered
    // before the outage is still there under the same id (the registry's storage survived the restart)
    byte[] rewritten = serde.serializer().serialize(topic, event);
    assertThat(ByteBuffer.wrap(rewritten, 1, 4).getInt()).isEqualTo(id);
    assertThat(serde.deserializer().deserialize(topic, written)).isEqualTo(event);
    assertThat(registry.lookup(subject, schema)).hasValue(id);
  }
}
