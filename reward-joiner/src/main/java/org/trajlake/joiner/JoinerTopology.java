package org.trajlake.joiner;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.trajlake.joiner.JoinResult.DeadLettered;
import org.trajlake.joiner.JoinResult.Orphaned;
import org.trajlake.joiner.JoinResult.Rewarded;
import org.trajlake.schema.RewardedTrajectory;
import org.trajlake.schema.Topic;
import org.trajlake.schema.Topics;

/**
 * The reward-joiner's topology, as a pure function of its settings, so tests build exactly the
 * graph that runs:
 *
 * <pre>
 *   trajectories (bytes) --+
 *                          +-- merge -- join [4 stores, wall-clock punctuator] -- split --+-- trajectories.rewarded
 *   outcomes (bytes) ------+                                                              +-- outcomes.orphaned
 *                                                                                         +-- dlq (original bytes)
 * </pre>
 *
 * Both inputs are read as bytes and decoded inside the processor, so a record that does not decode
 * is dead-lettered with its reason instead of failing the stream thread. Node and store names are
 * fixed: the store names are part of the changelog topic names.
 */
public final class JoinerTopology {
  private static final String RESULT = "joiner-result-";
  private static final String REWARDED = "rewarded";
  private static final String ORPHANED = "orphaned";
  private static final String DEAD_LETTERED = "dead-lettered";

  private JoinerTopology() {}

  /** Adds the joiner to {@code builder} and builds it, recording its metrics in {@code registry}. */
  public static Topology buildTopology(StreamsBuilder builder, JoinerConfig config, Topics topics, MeterRegistry registry) {
    JoinerMetrics metrics = new JoinerMetrics(registry);
    JoinStore.builders().forEach(builder::addStateStore);

    KStream<byte[], byte[]> trajectories = builder.stream(topics.trajectories().name(),
        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("joiner-read-trajectories"));
    KStream<byte[], byte[]> outcomes = builder.stream(topics.outcomes().name(),
        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("joiner-read-outcomes"));

    Map<String, KStream<String, JoinResult>> results = trajectories
        .merge(outcomes, Named.as("joiner-merge-inputs"))
        .process(() -> new JoinProcessor(config, topics, metrics), Named.as("joiner-join"), JoinStore.NAMES)
        .split(Named.as(RESULT))
        .branch((id, result) -> result instanceof Rewarded, Branched.as(REWARDED))
        .branch((id, result) -> result instanceof Orphaned, Branched.as(ORPHANED))
        .defaultBranch(Branched.as(DEAD_LETTERED));

    Topic<String, RewardedTrajectory> rewarded = topics.rewardedTrajectories();
    results.get(RESULT + REWARDED)
        .mapValues(result -> ((Rewarded) result).value(), Named.as("joiner-rewarded-value"))
        .to(rewarded.name(), Produced.with(rewarded.keySerde(), rewarded.valueSerde()).withName("joiner-write-rewarded"));
    results.get(RESULT + ORPHANED)
        .mapValues(result -> ((Orphaned) result).value(), Named.as("joiner-orphaned-value"))
        .to(topics.orphanedOutcomes().name(),
            Produced.with(topics.orphanedOutcomes().keySerde(), topics.orphanedOutcomes().valueSerde())
                .withName("joiner-write-orphaned"));
    results.get(RESULT + DEAD_LETTERED)
        .map((id, result) -> KeyValue.pair(((DeadLettered) result).key(), ((DeadLettered) result).value()),
            Named.as("joiner-dead-letter-bytes"))
        .to(topics.deadLetters().name(),
            Produced.with(topics.deadLetters().keySerde(), topics.deadLetters().valueSerde())
                .withName("joiner-write-dlq"));
    return builder.build();
  }
}
