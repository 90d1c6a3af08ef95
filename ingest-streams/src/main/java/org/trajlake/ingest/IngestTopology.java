package org.trajlake.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import org.trajlake.ingest.state.TrajectoryState;
import org.trajlake.runtime.AvroStateSerde;
import org.trajlake.schema.Step;
import org.trajlake.schema.Topics;

/**
 * The ingest-streams topology, a pure function of its inputs so tests build exactly this graph:
 *
 * <pre>
 * events (raw bytes) ─► assemble [states, steps, deadlines, event-ids] ─┬─► trajectories
 *                                                                       └─► dlq (original bytes + reason headers)
 * </pre>
 *
 * Events are read as bytes and decoded inside the processor, so an undecodable record is
 * dead-lettered with its reason instead of stopping the application.
 */
public final class IngestTopology {
  static final String STATES = "ingest-trajectory-states";
  static final String STEPS = "ingest-steps";
  static final String DEADLINES = "ingest-deadlines";
  static final String EVENT_IDS = "ingest-event-ids";

  private IngestTopology() {}

  public static Topology buildTopology(StreamsBuilder builder, IngestConfig config, Topics topics, MeterRegistry registry) {
    // Cached stores: a trajectory's state and deadline change with every step, and reach RocksDB and
    // the changelog once per commit instead of once per step; a step written and dropped within one
    // commit (a short trajectory) never reaches them at all.
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATES),
        Serdes.String(), new AvroStateSerde<>(TrajectoryState.class)).withCachingEnabled());
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STEPS),
        Serdes.Bytes(), new AvroStateSerde<>(Step.class)).withCachingEnabled());
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DEADLINES),
        Serdes.Bytes(), Serdes.ByteArray()).withCachingEnabled());
    builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(EVENT_IDS,
        config.dedupeRetention(), Duration.ofMillis(1), false), Serdes.String(), Serdes.Long()));

    IngestMetrics metrics = new IngestMetrics(registry, topics.events().name());
    KStream<byte[], IngestOutput> assembled = builder
        .stream(topics.events().name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("events"))
        .process(() -> new IngestProcessor(config, topics.events().valueSerde().deserializer(), metrics,
            topics.trajectories().name()), Named.as("assemble"), STATES, STEPS, DEADLINES, EVENT_IDS);

    assembled.split(Named.as("route-"))
        .branch((key, output) -> output instanceof IngestOutput.DeadLettered, Branched.withConsumer(dead -> dead
            .mapValues(output -> ((IngestOutput.DeadLettered) output).value(), Named.as("original-bytes"))
            .to(topics.deadLetters().name(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("dlq")),
            "dlq"))
        .defaultBranch(Branched.withConsumer(emitted -> emitted
            .mapValues(output -> ((IngestOutput.Emitted) output).trajectory(), Named.as("trajectory"))
            .to(topics.trajectories().name(),
                Produced.with(Serdes.ByteArray(), topics.trajectories().valueSerde()).withName("trajectories")),
            "trajectories"));
    return builder.build();
  }
}
