package org.trajlake.schema;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.trajlake.schema.registry.SchemaRegistry;
import org.trajlake.schema.serde.AvroSerdeConfig;
import org.trajlake.schema.serde.ConfluentAvroSerde;

/**
 * Every topic of trajectory-lake, named {@code <prefix><suffix>} (prefix {@value #DEFAULT_PREFIX}
 * by default) so tests and side-by-side installs can use their own set. Keys are UTF-8 strings:
 * the trajectory id, which keeps one trajectory's records in order on one partition.
 */
public final class Topics {
  public static final String DEFAULT_PREFIX = "trajlake.";

  // Kafka's legal topic characters; the longest suffix leaves room for a 200-character prefix.
  private static final Pattern LEGAL_PREFIX = Pattern.compile("[a-zA-Z0-9._-]{0,200}");

  private final String prefix;
  private final Topic<String, TrajectoryEvent> events;
  private final Topic<String, Outcome> outcomes;
  private final Topic<String, Trajectory> trajectories;
  private final Topic<String, RewardedTrajectory> rewardedTrajectories;
  private final Topic<String, Outcome> orphanedOutcomes;
  private final Topic<byte[], byte[]> deadLetters;

  private Topics(String prefix, SchemaRegistry registry, boolean autoRegister) {
    this.prefix = prefix;
    Serde<String> keys = Serdes.String();
    this.events = avro(keys, "events", TrajectoryEvent.class, CleanupPolicy.DELETE, registry, autoRegister);
    this.outcomes = avro(keys, "outcomes", Outcome.class, CleanupPolicy.DELETE, registry, autoRegister);
    this.trajectories = avro(keys, "trajectories", Trajectory.class, CleanupPolicy.COMPACT, registry, autoRegister);
    this.rewardedTrajectories =
        avro(keys, "trajectories.rewarded", RewardedTrajectory.class, CleanupPolicy.COMPACT, registry, autoRegister);
    this.orphanedOutcomes = avro(keys, "outcomes.orphaned", Outcome.class, CleanupPolicy.DELETE, registry, autoRegister);
    // The dead-letter topic keeps the original key and value bytes untouched: they may not decode.
    this.deadLetters =
        new Topic<>(prefix + "dlq", Serdes.ByteArray(), Serdes.ByteArray(), byte[].class, CleanupPolicy.DELETE);
  }

  /**
   * The topics under {@code prefix}, with serdes talking to the registry {@code serdeConfig} names
   * ({@link AvroSerdeConfig}'s keys; {@code schema.registry.url} is required). All value serdes
   * share one caching registry client.
   */
  public static Topics create(String prefix, Map<String, ?> serdeConfig) {
    AvroSerdeConfig config = new AvroSerdeConfig(serdeConfig);
    return new Topics(checkPrefix(prefix), config.schemaRegistry(), config.autoRegisterSchemas());
  }

  /** The topics under {@code prefix}, with serdes talking to {@code registry}. */
  public static Topics create(String prefix, SchemaRegistry registry, boolean autoRegisterSchemas) {
    return new Topics(checkPrefix(prefix), Objects.requireNonNull(registry, "registry"), autoRegisterSchemas);
  }

  /** Agents' step events ({@code trajlake.events}). */
  public Topic<String, TrajectoryEvent> events() {
    return events;
  }

  /** Outcomes reported for trajectories ({@code trajlake.outcomes}). */
  public Topic<String, Outcome> outcomes() {
    return outcomes;
  }

  /** Assembled trajectories, latest assembly per id ({@code trajlake.trajectories}). */
  public Topic<String, Trajectory> trajectories() {
    return trajectories;
  }

  /** Rewarded trajectories, latest version per id ({@code trajlake.trajectories.rewarded}). */
  public Topic<String, RewardedTrajectory> rewardedTrajectories() {
    return rewardedTrajectories;
  }

  /** Outcomes whose trajectory never arrived ({@code trajlake.outcomes.orphaned}). */
  public Topic<String, Outcome> orphanedOutcomes() {
    return orphanedOutcomes;
  }

  /** Records a stage could not process, as the original bytes with the reason in headers ({@code trajlake.dlq}). */
  public Topic<byte[], byte[]> deadLetters() {
    return deadLetters;
  }

  /** Every topic, in pipeline order. */
  public List<Topic<?, ?>> all() {
    return List.of(events, outcomes, trajectories, rewardedTrajectories, orphanedOutcomes, deadLetters);
  }

  public String prefix() {
    return prefix;
  }

  private <V extends SpecificRecord> Topic<String, V> avro(
      Serde<String> keys,
      String suffix,
      Class<V> type,
      CleanupPolicy policy,
      SchemaRegistry registry,
      boolean autoRegister) {
    return new Topic<>(
        prefix + suffix, keys, ConfluentAvroSerde.forValues(type, registry, autoRegister), type, policy);
  }

  private static String checkPrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (!LEGAL_PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "topic prefix must be at most 200 of the characters a-z A-Z 0-9 . _ - (was '" + prefix + "')");
    }
    return prefix;
  }
}
