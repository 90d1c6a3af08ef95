package org.trajlake.joiner;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.trajlake.runtime.DeadLetter;
import org.trajlake.runtime.Settings;
import org.trajlake.schema.Outcome;
import org.trajlake.schema.RewardedTrajectory;
import org.trajlake.schema.Topics;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.registry.InMemorySchemaRegistry;

/**
 * The joiner's real topology in a TopologyTestDriver, with a schema registry in memory and a wall
 * clock the test moves. Inputs are written with the topics' own serdes (or as raw bytes), outputs
 * read back the same way.
 */
final class JoinerDriver implements AutoCloseable {
  static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

  final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  final Topics topics = Topics.create("trajlake.", registry, true);
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final JoinerConfig config;
  final TopologyTestDriver driver;
  private final TestInputTopic<String, Trajectory> trajectories;
  private final TestInputTopic<String, Outcome> outcomes;
  private final TestInputTopic<byte[], byte[]> rawTrajectories;
  private final TestInputTopic<byte[], byte[]> rawOutcomes;
  private final TestOutputTopic<String, RewardedTrajectory> rewarded;
  private final TestOutputTopic<String, Outcome> orphaned;
  private final TestOutputTopic<byte[], byte[]> deadLetters;
  private Instant now = START;

  JoinerDriver(Path stateDir) {
    this(stateDir, Map.of());
  }

  /** A driver whose joiner runs with {@code settings} on top of the defaults. */
  JoinerDriver(Path stateDir, Map<String, String> settings) {
    Map<String, String> values = new HashMap<>(settings);
    values.put(JoinerConfig.STATE_DIR, stateDir.toString());
    values.putIfAbsent(JoinerConfig.BOOTSTRAP_SERVERS, "unused:9092");
    this.config = JoinerConfig.from(Settings.of(values));
    this.driver = new TopologyTestDriver(JoinerTopology.buildTopology(new StreamsBuilder(), config, topics, meters),
        config.streamsProperties(), START);
    this.trajectories = driver.createInputTopic(topics.trajectories().name(),
        topics.trajectories().keySerde().serializer(), topics.trajectories().valueSerde().serializer());
    this.outcomes = driver.createInputTopic(topics.outcomes().name(),
        topics.outcomes().keySerde().serializer(), topics.outcomes().valueSerde().serializer());
    this.rawTrajectories = driver.createInputTopic(topics.trajectories().name(),
        new ByteArraySerializer(), new ByteArraySerializer());
    this.rawOutcomes = driver.createInputTopic(topics.outcomes().name(),
        new ByteArraySerializer(), new ByteArraySerializer());
    this.rewarded = driver.createOutputTopic(topics.rewardedTrajectories().name(),
        topics.rewardedTrajectories().keySerde().deserializer(),
        topics.rewardedTrajectories().valueSerde().deserializer());
    this.orphaned = driver.createOutputTopic(topics.orphanedOutcomes().name(),
        topics.orphanedOutcomes().keySerde().deserializer(), topics.orphanedOutcomes().valueSerde().deserializer());
    this.deadLetters = driver.createOutputTopic(topics.deadLetters().name(),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** The wall clock of the driver. */
  Instant now() {
    return now;
  }

  /** Moves the wall clock; due punctuations run. */
  void advance(Duration duration) {
    now = now.plus(duration);
    driver.advanceWallClockTime(duration);
  }

  /** Writes a trajectory keyed by its id, timestamped now. */
  void send(Trajectory trajectory) {
    trajectories.pipeInput(trajectory.getTrajectoryId(), trajectory, now);
  }

  /** Writes an outcome keyed by its trajectory id, timestamped now. */
  void send(Outcome outcome) {
    outcomes.pipeInput(outcome.getTrajectoryId(), outcome, now);
  }

  /** Writes an outcome whose record timestamp is {@code timestamp}, as a producer behind the wall clock would. */
  void sendOutcomeAt(Outcome outcome, Instant timestamp) {
    outcomes.pipeInput(outcome.getTrajectoryId(), outcome, timestamp);
  }

  void sendOutcome(String key, Outcome outcome) {
    outcomes.pipeInput(key, outcome, now);
  }

  void sendTrajectory(String key, Trajectory trajectory) {
    trajectories.pipeInput(key, trajectory, now);
  }

  void sendRawOutcome(byte[] key, byte[] value) {
    rawOutcomes.pipeInput(key, value, now);
  }

  void sendRawTrajectory(byte[] key, byte[] value) {
    rawTrajectories.pipeInput(key, value, now);
  }

  /** Writes raw bytes with headers to the trajectories topic, or to the outcomes topic. */
  void sendRaw(boolean toTrajectories, byte[] key, byte[] value, Headers headers) {
    (toTrajectories ? rawTrajectories : rawOutcomes).pipeInput(new TestRecord<>(key, value, headers, now));
  }

  byte[] encode(Outcome outcome) {
    return topics.outcomes().valueSerde().serializer().serialize(topics.outcomes().name(), outcome);
  }

  byte[] encode(Trajectory trajectory) {
    return topics.trajectories().valueSerde().serializer().serialize(topics.trajectories().name(), trajectory);
  }

  Outcome decodeOutcome(byte[] bytes) {
    return topics.outcomes().valueSerde().deserializer().deserialize(topics.outcomes().name(), bytes);
  }

  /** Everything written to the rewarded topic since the last call. */
  List<TestRecord<String, RewardedTrajectory>> rewarded() {
    return rewarded.readRecordsToList();
  }

  /** The values written to the rewarded topic since the last call. */
  List<RewardedTrajectory> rewardedValues() {
    return rewarded().stream().map(TestRecord::value).toList();
  }

  List<TestRecord<String, Outcome>> orphaned() {
    return orphaned.readRecordsToList();
  }

  List<TestRecord<byte[], byte[]>> deadLetters() {
    return deadLetters.readRecordsToList();
  }

  static DeadLetter deadLetterOf(TestRecord<?, ?> record) {
    return DeadLetter.from(record.headers()).orElseThrow(() -> new AssertionError("no dead-letter headers"));
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** How many entries the four join stores hold together. */
  long stateEntries() {
    long count = 0;
    for (String name : JoinStore.NAMES) {
      KeyValueStore<Object, Object> store = driver.getKeyValueStore(name);
      try (KeyValueIterator<Object, Object> it = store.all()) {
        while (it.hasNext()) {
          KeyValue<Object, Object> ignored = it.next();
          count++;
        }
      }
    }
    return count;
  }

  /** The value of counter {@code name} with the given tag, 0 when it was never incremented. */
  double counter(String name, String... tags) {
    Counter counter = meters.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  @Override
  public void close() {
    driver.close();
  }
}
