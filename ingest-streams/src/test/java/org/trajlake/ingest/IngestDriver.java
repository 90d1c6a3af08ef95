package org.trajlake.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.trajlake.runtime.DeadLetter;
import org.trajlake.schema.Topics;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.TrajectoryEvent;
import org.trajlake.schema.registry.InMemorySchemaRegistry;

/**
 * The real topology on TopologyTestDriver, with an in-memory registry and a mocked wall clock that
 * also stamps the input records, as a producer's clock would.
 */
final class IngestDriver implements AutoCloseable {
  static final Instant START = Instant.parse("2026-11-21T10:00:00Z");

  final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  final Topics topics = Topics.create("trajlake.", registry, true);
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final TopologyTestDriver driver;
  private final TestInputTopic<byte[], byte[]> events;
  private final TestOutputTopic<byte[], Trajectory> trajectories;
  private final TestOutputTopic<byte[], byte[]> deadLetters;
  private Instant now = START;

  IngestDriver() {
    this(Map.of());
  }

  IngestDriver(Map<String, String> settings) {
    Map<String, String> values = new HashMap<>(settings);
    try {
      values.putIfAbsent(IngestConfig.STATE_DIR, Files.createTempDirectory("ingest-ttd").toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    IngestConfig config = new IngestConfig(values);
    driver = new TopologyTestDriver(IngestTopology.buildTopology(new StreamsBuilder(), config, topics, meters),
        config.streamsProperties(), START);
    events = driver.createInputTopic(topics.events().name(), new ByteArraySerializer(), new ByteArraySerializer());
    trajectories = driver.createOutputTopic(topics.trajectories().name(), new ByteArrayDeserializer(),
        topics.trajectories().valueSerde().deserializer());
    deadLetters = driver.createOutputTopic(topics.deadLetters().name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Sends {@code event} keyed by its trajectory id, as an agent would; returns the value bytes sent. */
  byte[] send(TrajectoryEvent event) {
    byte[] value = serialize(event);
    sendRaw(key(event.getTrajectoryId()), value);
    return value;
  }

  byte[] serialize(TrajectoryEvent event) {
    return topics.events().valueSerde().serializer().serialize(topics.events().name(), event);
  }

  void sendRaw(byte[] key, byte[] value) {
    sendRaw(key, value, new RecordHeaders());
  }

  void sendRaw(byte[] key, byte[] value, Headers headers) {
    events.pipeInput(new TestRecord<>(key, value, headers, now));
  }

  /** Moves the wall clock on, firing the punctuations that fall due. */
  void advance(Duration duration) {
    now = now.plus(duration);
    driver.advanceWallClockTime(duration);
  }

  Instant now() {
    return now;
  }

  List<Trajectory> emitted() {
    return trajectories.readValuesToList();
  }

  List<TestRecord<byte[], byte[]>> deadLetters() {
    return deadLetters.readRecordsToList();
  }

  static DeadLetter deadLetterOf(TestRecord<byte[], byte[]> record) {
    return DeadLetter.from(record.headers()).orElseThrow(() -> new AssertionError("no dead-letter headers"));
  }

  double counter(String name, String... tags) {
    Counter counter = meters.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  static byte[] key(String trajectoryId) {
    return trajectoryId.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    driver.close();
  }
}
