package org.trajlake.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.trajlake.ingest.IngestConfig.LatePolicy;
import org.trajlake.ingest.state.Phase;
import org.trajlake.ingest.state.TrajectoryState;
import org.trajlake.runtime.DeadLetter;
import org.trajlake.schema.Step;
import org.trajlake.schema.StepKind;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.TrajectoryEvent;
import org.trajlake.schema.serde.AvroSerdeException;

/**
 * Turns step events into trajectories. Per event: decode, validate, drop a repeated event_id, then
 * hold the step under its trajectory; a trajectory is emitted when its END and every step below it
 * are held. A wall-clock punctuator closes what is due: INCOMPLETE after the inactivity gap, an END
 * still missing steps after the grace period, and later forgets steps and finally the trajectory.
 *
 * <p>A repeated seq (another event_id at a seq already held) keeps the first event in log order and
 * dead-letters the other: the order of a partition is fixed, so replays decide the same way.
 */
final class IngestProcessor implements Processor<byte[], byte[], byte[], IngestOutput> {
  static final String STAGE = "ingest-streams";
  private static final byte[] PRESENT = {1};

  private final IngestConfig config;
  private final Deserializer<TrajectoryEvent> decoder;
  private final EventValidator validator;
  private final IngestMetrics metrics;
  private final String trajectoriesTopic;

  private ProcessorContext<byte[], IngestOutput> context;
  private KeyValueStore<String, TrajectoryState> states;
  private KeyValueStore<Bytes, Step> steps;
  private KeyValueStore<Bytes, byte[]> deadlines;
  private WindowStore<String, Long> eventIds;

  IngestProcessor(IngestConfig config, Deserializer<TrajectoryEvent> decoder, IngestMetrics metrics, String trajectoriesTopic) {
    this.config = config;
    this.decoder = decoder;
    this.validator = new EventValidator(config.maxContentBytes(), config.maxFutureSkew().toMillis());
    this.metrics = metrics;
    this.trajectoriesTopic = trajectoriesTopic;
  }

  @Override
  public void init(ProcessorContext<byte[], IngestOutput> context) {
    this.context = context;
    this.states = context.getStateStore(IngestTopology.STATES);
    this.steps = context.getStateStore(IngestTopology.STEPS);
    this.deadlines = context.getStateStore(IngestTopology.DEADLINES);
    this.eventIds = context.getStateStore(IngestTopology.EVENT_IDS);
    context.schedule(config.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, this::closeDue);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    metrics.in();
    if (record.key() == null) {
      reject(record, "missing-key", "the record has no key; events are keyed by trajectory_id");
      return;
    }
    Optional<String> key = utf8(record.key());
    if (key.isEmpty()) {
      reject(record, "invalid-key", "the key is not UTF-8 text");
      return;
    }
    if (record.value() == null) {
      reject(record, "missing-value", "the record has no value (a tombstone means nothing on the events topic)");
      return;
    }
    TrajectoryEvent event;
    try {
      event = decoder.deserialize(sourceTopic(), record.headers(), record.value());
    } catch (AvroSerdeException e) {
      if (!e.reason().isBadRecord()) {
        throw e; // the registry, not the record: fail the task so it retries from the last commit
      }
      reject(record, e.reason().name().toLowerCase(Locale.ROOT).replace('_', '-'), e.getMessage());
      return;
    }
    long now = context.currentSystemTimeMs();
    Optional<Rejection> invalid = validator.validate(key.get(), event, now);
    if (invalid.isPresent()) {
      reject(record, invalid.get().reason(), invalid.get().detail());
      return;
    }
    if (seenBefore(event.getEventId(), record.timestamp())) {
      metrics.duplicate();
      return;
    }
    if (hold(record, event, now)) {
      remember(event.getEventId(), record.timestamp());
    }
  }

  /**
   * Adds a valid, new event to its trajectory, and emits the trajectory when that completes it.
   *
   * @return whether the event is now held; a refused one is not, and its event_id is not remembered
   */
  private boolean hold(Record<byte[], byte[]> record, TrajectoryEvent event, long now) {
    String id = event.getTrajectoryId();
    TrajectoryState state = states.get(id);
    long deadlineBefore = state == null ? -1 : state.getDeadlineMs();
    if (state == null) {
      state = TrajectoryAssembly.open(event);
    } else if (!state.getWorkspace().equals(event.getWorkspace())) {
      reject(record, "workspace-mismatch", "trajectory " + id + " belongs to workspace '" + state.getWorkspace()
          + "'; this event says '" + event.getWorkspace() + "'");
      return false;
    } else if (state.getPhase() == Phase.CLOSED) {
      reject(record, "late", "trajectory " + id + " was emitted as version " + state.getEmittedVersion()
          + " and its late window (ingest.late.window.ms) has passed");
      return false;
    } else if (state.getPhase() == Phase.EMITTED && config.latePolicy() == LatePolicy.DLQ) {
      reject(record, "late", "trajectory " + id + " was already emitted as version " + state.getEmittedVersion()
          + " (ingest.late.policy=dlq)");
      return false;
    }

    Bytes stepKey = StoreKeys.step(id, event.getSeq());
    Step held = steps.get(stepKey);
    if (held != null) {
      if (held.getEventId().equals(event.getEventId())) {
        metrics.duplicate();
      } else {
        reject(record, "repeated-seq", "seq " + event.getSeq() + " of trajectory " + id + " already holds event "
            + held.getEventId() + " (the first in log order is kept); this is event " + event.getEventId());
      }
      return false;
    }
    if (state.getStepCount() >= config.maxSteps() && event.getKind() != StepKind.END) {
      reject(record, "too-many-steps", "trajectory " + id + " already holds " + state.getStepCount()
          + " steps, the limit (ingest.max.steps)");
      return false;
    }

    steps.put(stepKey, TrajectoryAssembly.step(event));
    TrajectoryAssembly.add(state, event);
    if (state.getPhase() == Phase.EMITTED) {
      emit(state, now, Optional.empty());
      state.setDeadlineMs(now + config.lateWindow().toMillis());
    } else {
      if (event.getKind() == StepKind.END) {
        state.setPhase(Phase.ENDING);
        state.setDeadlineMs(now + config.endGrace().toMillis());
      } else if (state.getPhase() == Phase.OPEN) {
        state.setDeadlineMs(now + config.inactivityGap().toMillis());
      }
      if (state.getPhase() == Phase.ENDING && TrajectoryAssembly.complete(state)) {
        emit(state, now, Optional.of(record.timestamp()));
        state.setPhase(Phase.EMITTED);
        state.setDeadlineMs(now + config.lateWindow().toMillis());
      }
    }
    save(state, deadlineBefore);
    return true;
  }

  /** Wall-clock punctuation: acts on every trajectory whose deadline has passed. */
  private void closeDue(long now) {
    List<KeyValue<Bytes, byte[]>> due = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> range =
        deadlines.range(StoreKeys.earliestDeadline(), StoreKeys.deadlinesThrough(now))) {
      range.forEachRemaining(due::add);
    }
    for (KeyValue<Bytes, byte[]> entry : due) {
      String id = StoreKeys.trajectoryOf(entry.key);
      deadlines.delete(entry.key);
      TrajectoryState state = states.get(id);
      if (state == null || state.getDeadlineMs() != StoreKeys.deadlineOf(entry.key)) {
        continue; // an index entry the state has moved past
      }
      switch (state.getPhase()) {
        case OPEN:
        case ENDING:
          // OPEN: the inactivity gap passed, emitted INCOMPLETE. ENDING: the grace for missing steps passed.
          emit(state, now, Optional.empty());
          state.setPhase(Phase.EMITTED);
          state.setDeadlineMs(now + config.lateWindow().toMillis());
          break;
        case EMITTED:
          forgetSteps(id);
          state.setPhase(Phase.CLOSED);
          state.setDeadlineMs(now + config.closedRetention().toMillis());
          break;
        case CLOSED:
        default:
          states.delete(id);
          continue;
      }
      save(state, -1);
    }
  }

  private void emit(TrajectoryState state, long now, Optional<Long> triggeredAt) {
    List<Step> ordered = new ArrayList<>(state.getStepCount());
    try (KeyValueIterator<Bytes, Step> range =
        steps.prefixScan(StoreKeys.stepPrefix(state.getTrajectoryId()), new BytesSerializer())) {
      range.forEachRemaining(entry -> ordered.add(entry.value));
    }
    Trajectory trajectory = TrajectoryAssembly.assemble(state, ordered, now);
    state.setEmittedVersion(trajectory.getVersion());
    byte[] key = state.getTrajectoryId().getBytes(StandardCharsets.UTF_8);
    context.forward(new Record<>(key, new IngestOutput.Emitted(trajectory), now));
    metrics.emitted(trajectoriesTopic, trajectory.getStatus().name(), !TrajectoryAssembly.complete(state));
    triggeredAt.ifPresent(at -> metrics.endToEnd(Duration.ofMillis(now - at)));
  }

  private void forgetSteps(String id) {
    List<Bytes> keys = new ArrayList<>();
    try (KeyValueIterator<Bytes, Step> range = steps.prefixScan(StoreKeys.stepPrefix(id), new BytesSerializer())) {
      range.forEachRemaining(entry -> keys.add(entry.key));
    }
    keys.forEach(steps::delete);
  }

  /** Writes the state, moving its entry in the deadline index when the deadline changed. */
  private void save(TrajectoryState state, long deadlineBefore) {
    if (deadlineBefore != state.getDeadlineMs()) {
      if (deadlineBefore >= 0) {
        deadlines.delete(StoreKeys.deadline(deadlineBefore, state.getTrajectoryId()));
      }
      deadlines.put(StoreKeys.deadline(state.getDeadlineMs(), state.getTrajectoryId()), PRESENT);
    }
    states.put(state.getTrajectoryId(), state);
  }

  /** True when {@code eventId} was held within the dedupe retention around {@code timestamp}. */
  private boolean seenBefore(String eventId, long timestamp) {
    long retention = config.dedupeRetention().toMillis();
    // The long-based fetch: the Instant-based one formats an error-message prefix on every call.
    try (WindowStoreIterator<Long> seen = eventIds.fetch(eventId, Math.max(0, timestamp - retention), timestamp + retention)) {
      return seen.hasNext();
    }
  }

  /**
   * Remembers the event_id of a held event. Only held ones: an event refused by its trajectory
   * (workspace-mismatch, late, repeated-seq, too-many-steps) that an agent corrects and sends again
   * under the same event_id must be judged again, not dropped as a repeat without a trace.
   */
  private void remember(String eventId, long timestamp) {
    eventIds.put(eventId, timestamp, timestamp);
  }

  private void reject(Record<byte[], byte[]> record, String reason, String detail) {
    RecordMetadata source = context.recordMetadata().orElseThrow();
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    new DeadLetter(reason, detail, STAGE, source.topic(), source.partition(), source.offset(),
        Instant.ofEpochMilli(context.currentSystemTimeMs())).addTo(headers);
    context.forward(new Record<byte[], IngestOutput>(record.key(), new IngestOutput.DeadLettered(record.value()),
        record.timestamp(), headers));
    metrics.deadLettered(reason);
  }

  private String sourceTopic() {
    return context.recordMetadata().map(RecordMetadata::topic).orElse("");
  }

  private static Optional<String> utf8(byte[] bytes) {
    try {
      return Optional.of(StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
