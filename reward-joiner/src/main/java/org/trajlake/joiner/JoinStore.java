package org.trajlake.joiner;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.trajlake.joiner.state.JoinHeader;
import org.trajlake.runtime.AvroStateSerde;
import org.trajlake.schema.Outcome;
import org.trajlake.schema.Trajectory;

/**
 * The join state of the trajectories of one task, in four persistent stores (RocksDB, each with its
 * changelog, so a moved or restarted task resumes exactly where the last transaction left it):
 *
 * <ul>
 *   <li>{@value #HEADERS}: trajectory_id to its {@link JoinHeader} (phase, versions, deadline);
 *   <li>{@value #TRAJECTORIES}: trajectory_id to the highest assembly version seen;
 *   <li>{@value #OUTCOMES}: trajectory_id, 0x00, 8-byte big-endian arrival number to the outcome. The
 *       arrival number is the outcome's offset on its partition, which Kafka hands out in arrival
 *       order, so a prefix scan reads one trajectory's outcomes in arrival order, and a dead-letter
 *       or orphan record can name the offset the outcome was read from;
 *   <li>{@value #DEADLINES}: 8-byte big-endian deadline, trajectory_id to nothing: the punctuator
 *       range-scans what is due instead of every key. Invariant: exactly one entry per header, at
 *       its {@code deadline}.
 * </ul>
 */
final class JoinStore {
  static final String HEADERS = "joiner-headers";
  static final String TRAJECTORIES = "joiner-trajectories";
  static final String OUTCOMES = "joiner-outcomes";
  static final String DEADLINES = "joiner-deadlines";
  static final String[] NAMES = {HEADERS, TRAJECTORIES, OUTCOMES, DEADLINES};

  private static final byte SEPARATOR = 0;
  private static final byte[] NOTHING = new byte[0];
  private static final BytesSerializer PREFIX = new BytesSerializer();

  /** An outcome held for a trajectory, with the arrival number that is its key. */
  record Held(long arrival, Outcome outcome) {}

  /** An entry of the deadline index. */
  record Due(long deadline, String id) {}

  private final KeyValueStore<String, JoinHeader> headers;
  private final KeyValueStore<String, Trajectory> trajectories;
  private final KeyValueStore<Bytes, Outcome> outcomes;
  private final KeyValueStore<Bytes, byte[]> deadlines;

  JoinStore(ProcessorContext<?, ?> context) {
    this.headers = context.getStateStore(HEADERS);
    this.trajectories = context.getStateStore(TRAJECTORIES);
    this.outcomes = context.getStateStore(OUTCOMES);
    this.deadlines = context.getStateStore(DEADLINES);
  }

  /**
   * The builders of the four stores, for {@code StreamsBuilder.addStateStore}. Cached: a record's
   * repeated updates (header, deadline) reach RocksDB and the changelog once per commit, not once each.
   */
  static List<StoreBuilder<?>> builders() {
    return List.of(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HEADERS), Serdes.String(),
            new AvroStateSerde<>(JoinHeader.class)).withCachingEnabled(),
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TRAJECTORIES), Serdes.String(),
            new AvroStateSerde<>(Trajectory.class)).withCachingEnabled(),
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(OUTCOMES), Serdes.Bytes(),
            new AvroStateSerde<>(Outcome.class)).withCachingEnabled(),
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DEADLINES), Serdes.Bytes(), Serdes.ByteArray())
            .withCachingEnabled());
  }

  JoinHeader header(String id) {
    return headers.get(id);
  }

  /**
   * Saves {@code header}, moving the deadline index entry when the deadline changed.
   *
   * @param previous the header stored before, or null when there was none
   */
  void save(String id, JoinHeader previous, JoinHeader header) {
    if (previous != null && previous.getDeadline() != header.getDeadline()) {
      deadlines.delete(deadlineKey(previous.getDeadline(), id));
    }
    if (previous == null || previous.getDeadline() != header.getDeadline()) {
      deadlines.put(deadlineKey(header.getDeadline(), id), NOTHING);
    }
    headers.put(id, header);
  }

  Trajectory trajectory(String id) {
    return trajectories.get(id);
  }

  void putTrajectory(String id, Trajectory trajectory) {
    trajectories.put(id, trajectory);
  }

  /** The outcomes held for {@code id}, in arrival order. */
  List<Held> outcomes(String id) {
    Bytes prefix = outcomePrefix(id);
    int keyLength = prefix.get().length + Long.BYTES;
    List<Held> held = new ArrayList<>();
    try (KeyValueIterator<Bytes, Outcome> it = outcomes.prefixScan(prefix, PREFIX)) {
      while (it.hasNext()) {
        KeyValue<Bytes, Outcome> entry = it.next();
        byte[] key = entry.key.get();
        // An id that extends this one with a 0x00 character shares the prefix but not the length.
        if (key.length == keyLength) {
          held.add(new Held(ByteBuffer.wrap(key, keyLength - Long.BYTES, Long.BYTES).getLong(), entry.value));
        }
      }
    }
    return held;
  }

  void addOutcome(String id, long arrival, Outcome outcome) {
    outcomes.put(outcomeKey(id, arrival), outcome);
  }

  void deleteOutcome(String id, long arrival) {
    outcomes.delete(outcomeKey(id, arrival));
  }

  /** Up to {@code max} index entries whose deadline is at or before {@code now}, earliest first. */
  List<Due> due(long now, int max) {
    List<Due> due = new ArrayList<>();
    // Deadlines are wall-clock millis, never negative; "now + 1" alone sorts before every key of
    // that deadline, so the inclusive upper bound takes exactly the deadlines <= now.
    Bytes from = Bytes.wrap(longBytes(0));
    Bytes to = Bytes.wrap(longBytes(now + 1));
    try (KeyValueIterator<Bytes, byte[]> it = deadlines.range(from, to)) {
      while (it.hasNext() && due.size() < max) {
        byte[] key = it.next().key.get();
        due.add(new Due(ByteBuffer.wrap(key, 0, Long.BYTES).getLong(),
            new String(key, Long.BYTES, key.length - Long.BYTES, StandardCharsets.UTF_8)));
      }
    }
    return due;
  }

  /** Removes an index entry that no header points to (a guard: the invariant says there is none). */
  void clearDeadline(Due due) {
    deadlines.delete(deadlineKey(due.deadline(), due.id()));
  }

  /** Forgets everything about {@code id}. */
  void drop(String id, JoinHeader header) {
    for (Held held : outcomes(id)) {
      deleteOutcome(id, held.arrival());
    }
    trajectories.delete(id);
    deadlines.delete(deadlineKey(header.getDeadline(), id));
    headers.delete(id);
  }

  private static Bytes outcomePrefix(String id) {
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(idBytes.length + 1).put(idBytes).put(SEPARATOR).array());
  }

  private static Bytes outcomeKey(String id, long arrival) {
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(idBytes.length + 1 + Long.BYTES)
        .put(idBytes).put(SEPARATOR).putLong(arrival).array());
  }

  private static Bytes deadlineKey(long deadline, String id) {
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + idBytes.length).putLong(deadline).put(idBytes).array());
  }

  private static byte[] longBytes(long value) {
    return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
  }
}
