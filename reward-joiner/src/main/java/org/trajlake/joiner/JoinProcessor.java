package org.trajlake.joiner;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.trajlake.joiner.JoinResult.DeadLettered;
import org.trajlake.joiner.JoinResult.Orphaned;
import org.trajlake.joiner.JoinResult.Rewarded;
import org.trajlake.joiner.JoinStore.Due;
import org.trajlake.joiner.JoinStore.Held;
import org.trajlake.runtime.DeadLetter;
import org.trajlake.schema.Outcome;
import org.trajlake.schema.RewardedTrajectory;
import org.trajlake.schema.Topics;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.serde.AvroSerdeException;

/**
 * The one processor of the joiner, fed the raw bytes of both input topics (a trajectory and its
 * outcomes share a partition, so one task sees them all). It decodes and checks each record,
 * dead-letters what it cannot use, hands the rest to {@link TrajectoryJoin}, and turns its decisions
 * into {@link JoinResult}s, metrics and headers. A wall-clock punctuator fires the due deadlines.
 *
 * <p>"Now" is the wall clock ({@code currentSystemTimeMs}), never stream time: the timeouts are
 * promises about real waiting, and they must fire even when no input arrives.
 */
final class JoinProcessor implements Processor<byte[], byte[], String, JoinResult> {
  static final String STAGE = "reward-joiner";
  // Bounds the work (and so the transaction) of one punctuation; the rest is due at the next.
  static final int MAX_DUE_PER_PUNCTUATION = 10_000;

  private final JoinerConfig config;
  private final JoinerMetrics metrics;
  private final String trajectoriesTopic;
  private final String outcomesTopic;
  private final String rewardedTopic;
  private final String orphanedTopic;
  private final String deadLetterTopic;
  private final Deserializer<Trajectory> trajectoryDecoder;
  private final Deserializer<Outcome> outcomeDecoder;
  private final Serializer<Outcome> outcomeEncoder;

  private ProcessorContext<String, JoinResult> context;
  private TrajectoryJoin join;

  JoinProcessor(JoinerConfig config, Topics topics, JoinerMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
    this.trajectoriesTopic = topics.trajectories().name();
    this.outcomesTopic = topics.outcomes().name();
    this.rewardedTopic = topics.rewardedTrajectories().name();
    this.orphanedTopic = topics.orphanedOutcomes().name();
    this.deadLetterTopic = topics.deadLetters().name();
    this.trajectoryDecoder = topics.trajectories().valueSerde().deserializer();
    this.outcomeDecoder = topics.outcomes().valueSerde().deserializer();
    this.outcomeEncoder = topics.outcomes().valueSerde().serializer();
  }

  @Override
  public void init(ProcessorContext<String, JoinResult> context) {
    this.context = context;
    this.join = new TrajectoryJoin(new JoinStore(context), config.rewardSpec(), config.outcomeWindow(),
        config.settleTimeout(), config.stateRetention(), config.maxOutcomesPerTrajectory());
    context.schedule(config.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata source = context.recordMetadata().orElseThrow();
    metrics.in(source.topic());
    Input input = new Input(record, source, context.currentSystemTimeMs());
    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    if (source.topic().equals(trajectoriesTopic)) {
      Trajectory trajectory = decode(input, trajectoryDecoder);
      if (trajectory != null && accepted(input, InputChecks.trajectory(key, trajectory))) {
        join.onTrajectory(trajectory, input.now(), input);
      }
    } else {
      Outcome outcome = decode(input, outcomeDecoder);
      if (outcome != null && accepted(input, InputChecks.outcome(key, outcome))) {
        join.onOutcome(outcome, source.offset(), input.now(), input);
      }
    }
  }

  private void punctuate(long now) {
    Events events = new Events(now);
    for (Due due : join.dueDeadlines(now, MAX_DUE_PER_PUNCTUATION)) {
      join.onDeadline(due, now, events);
    }
  }

  /**
   * The value decoded with the topic's serde, or null after dead-lettering it. A fault of the
   * record (no magic byte, unknown schema id, bad Avro) is dead-lettered; a fault of the setup
   * (registry unreachable) is thrown, so the stream thread is replaced and retries the record from
   * the last commit instead of dead-lettering every record while the registry is down.
   */
  private <T> T decode(Input input, Deserializer<T> decoder) {
    if (input.record().value() == null) {
      input.rejectInput(Reasons.NULL_VALUE, "a null value (tombstone) has no meaning on " + input.source().topic());
      return null;
    }
    try {
      return decoder.deserialize(input.source().topic(), input.record().value());
    } catch (AvroSerdeException e) {
      if (!e.reason().isBadRecord()) {
        throw e;
      }
      input.rejectInput(Reasons.of(e.reason()), e.getMessage());
      return null;
    }
  }

  private static boolean accepted(Input input, Optional<Rejection> rejection) {
    rejection.ifPresent(r -> input.rejectInput(r.reason(), r.detail()));
    return rejection.isEmpty();
  }

  private DeadLetter deadLetter(String reason, String detail, String topic, int partition, long offset, long now) {
    return new DeadLetter(reason, detail, STAGE, topic, partition, offset, Instant.ofEpochMilli(now));
  }

  /** Decisions made in a punctuation: there is no input record to refer to. */
  private class Events implements JoinEvents {
    private final long now;

    Events(long now) {
      this.now = now;
    }

    long now() {
      return now;
    }

    @Override
    public void emit(String id, RewardedTrajectory rewarded) {
      context.forward(new Record<>(id, new Rewarded(rewarded), now));
      metrics.out(rewardedTopic);
    }

    @Override
    public void orphan(String id, Held held, String detail) {
      Headers headers = deadLetter(Reasons.NO_TRAJECTORY, detail, outcomesTopic, context.taskId().partition(),
          held.arrival(), now).addTo(new RecordHeaders());
      context.forward(new Record<>(id, new Orphaned(held.outcome()), now, headers));
      metrics.out(orphanedTopic);
      metrics.orphaned();
    }

    @Override
    public void rejectHeld(String id, Held held, String reason, String detail) {
      // The held outcome is state, not the record it was read from: re-encoded with the topic's
      // serde it reads back as the same outcome, and the headers name the offset it came from.
      byte[] value = outcomeEncoder.serialize(outcomesTopic, held.outcome());
      Headers headers = deadLetter(reason, detail + " (held since it arrived; value re-encoded from the join state)",
          outcomesTopic, context.taskId().partition(), held.arrival(), now).addTo(new RecordHeaders());
      forwardDeadLetter(id.getBytes(StandardCharsets.UTF_8), value, headers, reason);
    }

    @Override
    public void rejectInput(String reason, String detail) {
      throw new IllegalStateException("a punctuation has no input record to dead-letter (" + reason + ")");
    }

    @Override
    public void duplicate() {
      throw new IllegalStateException("a punctuation has no input record that could repeat");
    }

    @Override
    public void stale() {
      throw new IllegalStateException("a punctuation has no input record that could be stale");
    }

    @Override
    public void expired(String id) {
      metrics.expired();
    }

    void forwardDeadLetter(byte[] key, byte[] value, Headers headers, String reason) {
      context.forward(new Record<>(null, new DeadLettered(key, value), now, headers));
      metrics.out(deadLetterTopic);
      metrics.deadLettered(reason);
    }
  }

  /** Decisions made for one input record: dead letters keep its bytes and say where it was read. */
  private final class Input extends Events {
    private final Record<byte[], byte[]> record;
    private final RecordMetadata source;

    Input(Record<byte[], byte[]> record, RecordMetadata source, long now) {
      super(now);
      this.record = record;
      this.source = source;
    }

    Record<byte[], byte[]> record() {
      return record;
    }

    RecordMetadata source() {
      return source;
    }

    @Override
    public void emit(String id, RewardedTrajectory rewarded) {
      super.emit(id, rewarded);
      metrics.latency(now() - record.timestamp());
    }

    @Override
    public void rejectInput(String reason, String detail) {
      // The original headers stay (they may be what explains the record); ours replace any earlier ones.
      Headers headers = deadLetter(reason, detail, source.topic(), source.partition(), source.offset(), now())
          .addTo(new RecordHeaders(record.headers().toArray()));
      forwardDeadLetter(record.key(), record.value(), headers, reason);
    }

    @Override
    public void duplicate() {
      metrics.duplicate(source.topic());
    }

    @Override
    public void stale() {
      metrics.stale(source.topic());
    }
  }
}
