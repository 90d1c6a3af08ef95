package org.trajlake.schema;

import java.util.Objects;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * A Kafka topic with everything needed to write and read it: its name, key and value serdes, value
 * type and cleanup policy. Code passes these around instead of topic-name strings.
 */
public record Topic<K, V>(
    String name, Serde<K> keySerde, Serde<V> valueSerde, Class<V> valueType, CleanupPolicy cleanupPolicy) {

  public Topic {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keySerde, "keySerde");
    Objects.requireNonNull(valueSerde, "valueSerde");
    Objects.requireNonNull(valueType, "valueType");
    Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
  }

  /** The Avro schema of the values, when they are Avro records (not for raw bytes). */
  public Optional<Schema> valueSchema() {
    if (!SpecificRecord.class.isAssignableFrom(valueType)) {
      return Optional.empty();
    }
    return Optional.of(SpecificData.get().getSchema(valueType));
  }

  /** The registry subject of the value schema, by Confluent's topic-name strategy. */
  public String valueSubject() {
    return name + "-value";
  }

  @Override
  public String toString() {
    return name;
  }
}
