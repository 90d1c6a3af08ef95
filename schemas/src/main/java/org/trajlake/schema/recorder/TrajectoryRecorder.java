package org.trajlake.schema.recorder;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.trajlake.schema.Topic;
import org.trajlake.schema.Topics;
import org.trajlake.schema.TrajectoryEvent;

/**
 * Writes an agent's trajectories to {@code trajlake.events}, one event per step.
 *
 * <pre>{@code
 * try (TrajectoryRecorder recorder = TrajectoryRecorder.create(Map.of(
 *     "bootstrap.servers", "localhost:9092",
 *     "schema.registry.url", "http://localhost:8080/apis/ccompat/v7",
 *     "workspace", "team-a", "agent.id", "coder@1.4.2"))) {
 *   TrajectoryHandle trajectory = recorder.begin("fix-issue-42");
 *   trajectory.observe("The test fails with a NullPointerException");
 *   String call = trajectory.toolCall("bash", "{\"cmd\":\"mvn test\"}");
 *   trajectory.toolResult(call, "BUILD SUCCESS", false);
 *   trajectory.end(TrajectoryStatus.SUCCESS);
 * }
 * }</pre>
 */
public final class TrajectoryRecorder implements AutoCloseable {
  private final Producer<String, TrajectoryEvent> producer;
  private final boolean ownsProducer;
  private final String topic;
  private final String workspace;
  private final String agentId;
  private final Clock clock;
  private final SendFailures failures = new SendFailures();

  /**
   * A recorder writing with {@code producer} to {@code topic}. The caller keeps ownership of the
   * producer: {@link #close()} flushes it but does not close it.
   */
  public TrajectoryRecorder(
      Producer<String, TrajectoryEvent> producer, String topic, String workspace, String agentId, Clock clock) {
    this(producer, false, topic, workspace, agentId, clock);
  }

  private TrajectoryRecorder(
      Producer<String, TrajectoryEvent> producer,
      boolean ownsProducer,
      String topic,
      String workspace,
      String agentId,
      Clock clock) {
    this.producer = Objects.requireNonNull(producer, "producer");
    this.ownsProducer = ownsProducer;
    this.topic = Objects.requireNonNull(topic, "topic");
    this.workspace = Objects.requireNonNull(workspace, "workspace");
    this.agentId = Objects.requireNonNull(agentId, "agentId");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A recorder with its own Kafka producer, configured from {@link RecorderConfig}'s keys. */
  public static TrajectoryRecorder create(Map<String, ?> config) {
    RecorderConfig settings = new RecorderConfig(config);
    Topic<String, TrajectoryEvent> events =
        Topics.create(settings.topicPrefix(), settings.serdeConfig()).events();
    Map<String, Object> producerConfig = settings.producerOverrides();
    producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    producerConfig.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "trajlake-recorder-" + settings.agentId());
    // Idempotence: a retried send after a lost ack is written once, and a retry cannot overtake an
    // earlier step of the same trajectory. It requires acks=all, which also means a step survives
    // the loss of the partition leader. RecorderConfig rejects overrides that turn either off.
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    Producer<String, TrajectoryEvent> producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), events.valueSerde().serializer());
    return new TrajectoryRecorder(
        producer, true, events.name(), settings.workspace(), settings.agentId(), Clock.systemUTC());
  }

  /** Begins a trajectory with a generated id; {@code taskId} may be null. */
  public TrajectoryHandle begin(String taskId) {
    return begin(UUID.randomUUID().toString(), taskId);
  }

  /** Begins a trajectory with the caller's id (for example one the agent framework assigned). */
  public TrajectoryHandle begin(String trajectoryId, String taskId) {
    return new TrajectoryHandle(trajectoryId, taskId, workspace, agentId, clock, this::send);
  }

  /**
   * Waits until every step sent so far is written.
   *
   * @throws org.apache.kafka.common.KafkaException when any step since the last flush was not written
   */
  public void flush() {
    producer.flush();
    failures.throwIfAny();
  }

  /** Flushes, then closes the producer if this recorder created it. */
  @Override
  public void close() {
    try {
      flush();
    } finally {
      if (ownsProducer) {
        producer.close();
      }
    }
  }

  private CompletableFuture<RecordMetadata> send(TrajectoryEvent event) {
    CompletableFuture<RecordMetadata> sent = new CompletableFuture<>();
    producer.send(
        new ProducerRecord<>(topic, event.getTrajectoryId(), event),
        (metadata, failure) -> {
          if (failure != null) {
            failures.record(failure);
            sent.completeExceptionally(failure);
          } else {
            sent.complete(metadata);
          }
        });
    return sent;
  }
}
