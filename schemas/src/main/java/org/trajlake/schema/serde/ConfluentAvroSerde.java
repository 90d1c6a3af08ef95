package org.trajlake.schema.serde;

import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.trajlake.schema.registry.SchemaRegistry;

/**
 * Avro serde for a generated record class in the Confluent wire format (magic byte 0, 4-byte schema
 * id, Avro binary), so Confluent's serializers in any language read what it writes and the other
 * way round. Usable by plain clients and by Kafka Streams.
 *
 * <p>The subject follows Confluent's topic-name strategy: {@code <topic>-value}, or {@code
 * <topic>-key} for a key serde. With {@code auto.register.schemas=false} (the default) the schema
 * must already be registered there.
 *
 * <pre>{@code
 * Serde<TrajectoryEvent> serde = ConfluentAvroSerde.forValues(TrajectoryEvent.class,
 *     Map.of("schema.registry.url", "http://localhost:8080/apis/ccompat/v7"));
 * }</pre>
 */
public final class ConfluentAvroSerde<T extends SpecificRecord> implements Serde<T> {
  private static final int DEFAULT_CACHE_CAPACITY = 1000;

  private final Class<T> type;
  private final SchemaRegistry injectedRegistry;
  private final ConfluentAvroSerializer<T> serializer;
  private final ConfluentAvroDeserializer<T> deserializer;
  private volatile SerdeBinding binding;

  /** A serde that talks to the registry named by {@link #configure(Map, boolean)}'s config. */
  public ConfluentAvroSerde(Class<T> type) {
    this(type, null);
  }

  /**
   * A serde that talks to {@code registry}; ready for values with auto-registration off. {@link
   * #configure(Map, boolean)} may still switch it to keys or set {@code auto.register.schemas}; it
   * ignores the registry settings.
   */
  public ConfluentAvroSerde(Class<T> type, SchemaRegistry registry) {
    this.type = Objects.requireNonNull(type, "type");
    this.injectedRegistry = registry;
    this.serializer = new ConfluentAvroSerializer<>(type, this::binding);
    this.deserializer = new ConfluentAvroDeserializer<>(type, this::binding);
    if (registry != null) {
      this.binding = new SerdeBinding(registry, false, false, DEFAULT_CACHE_CAPACITY);
    }
  }

  /** A value serde configured from {@code config} (see {@link AvroSerdeConfig} for the keys). */
  public static <T extends SpecificRecord> ConfluentAvroSerde<T> forValues(Class<T> type, Map<String, ?> config) {
    ConfluentAvroSerde<T> serde = new ConfluentAvroSerde<>(type);
    serde.configure(config, false);
    return serde;
  }

  /** A value serde that talks to {@code registry}, registering its schema on first write when {@code autoRegister}. */
  public static <T extends SpecificRecord> ConfluentAvroSerde<T> forValues(
      Class<T> type, SchemaRegistry registry, boolean autoRegister) {
    ConfluentAvroSerde<T> serde = new ConfluentAvroSerde<>(type, registry);
    serde.binding = new SerdeBinding(registry, false, autoRegister, DEFAULT_CACHE_CAPACITY);
    return serde;
  }

  /**
   * Applies {@link AvroSerdeConfig}'s keys. Without an injected registry, {@code
   * schema.registry.url} is required; a missing or malformed value fails with a {@link
   * org.apache.kafka.common.config.ConfigException} naming the key.
   */
  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (injectedRegistry != null) {
      boolean autoRegister =
          AvroSerdeConfig.autoRegisterSchemas(configs).orElse(binding.autoRegister());
      binding = new SerdeBinding(injectedRegistry, isKey, autoRegister, binding.cacheCapacity());
      return;
    }
    AvroSerdeConfig config = new AvroSerdeConfig(configs);
    binding =
        new SerdeBinding(config.schemaRegistry(), isKey, config.autoRegisterSchemas(), config.cacheCapacity());
  }

  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<T> deserializer() {
    return deserializer;
  }

  /** The record class this serde writes and reads. */
  public Class<T> type() {
    return type;
  }

  private SerdeBinding binding() {
    SerdeBinding current = binding;
    if (current == null) {
      throw new IllegalStateException(
          "ConfluentAvroSerde for "
              + type.getName()
              + " is not configured: call configure(config, isKey) with "
              + AvroSerdeConfig.SCHEMA_REGISTRY_URL
              + ", or construct it with a SchemaRegistry");
    }
    return current;
  }
}
