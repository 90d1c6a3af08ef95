package org.trajlake.schema.recorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.trajlake.schema.StepKind;
import org.trajlake.schema.TrajectoryEvent;
import org.trajlake.schema.TrajectoryStatus;
import org.trajlake.schema.registry.InMemorySchemaRegistry;
import org.trajlake.schema.serde.ConfluentAvroSerde;

class TrajectoryRecorderTest {
  private static final String TOPIC = "trajlake.events";
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00.123456Z");

  // The producer serializes every record with the real serde, so a record that would not encode fails here too.
  private final MockProducer<String, TrajectoryEvent> producer =
      new MockProducer<>(
          true,
          null,
          new StringSerializer(),
          ConfluentAvroSerde.forValues(TrajectoryEvent.class, new InMemorySchemaRegistry(), true).serializer());
  private final TrajectoryRecorder recorder =
      new TrajectoryRecorder(producer, TOPIC, "team-a", "coder@1.0", Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void everyStepIsKeyedByItsTrajectoryId() {
    // Given two trajectories
    TrajectoryHandle first = recorder.begin("t-1", "task");
    TrajectoryHandle second = recorder.begin("t-2", "task");

    // When each records a step
    first.observe("a");
    second.observe("b");

    // Then each record's key is its trajectory id, on the events topic
    assertThat(producer.history())
        .extracting(ProducerRecord::topic, ProducerRecord::key)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(TOPIC, "t-1"), org.assertj.core.groups.Tuple.tuple(TOPIC, "t-2"));
  }

  @Test
  void seqCountsFromZeroPerTrajectory() {
    // Given two interleaved trajectories
    TrajectoryHandle first = recorder.begin("t-1", null);
    TrajectoryHandle second = recorder.begin("t-2", null);

    // When they record steps in turn
    first.observe("1a");
    second.observe("2a");
    first.think("1b");
    first.act("1c");
    second.think("2b");

    // Then each trajectory's seqs are 0, 1, 2... in order
    assertThat(seqsOf("t-1")).containsExactly(0L, 1L, 2L);
    assertThat(seqsOf("t-2")).containsExactly(0L, 1L);
  }

  @Test
  void eachEventCarriesIdentityKindContentAndTheClocksTime() {
    // Given a trajectory for a task
    TrajectoryHandle trajectory = recorder.begin("fix-issue-42");

    // When it records a thought
    trajectory.think("I should run the tests");

    // Then the event says who, what, when, in which workspace, with the time truncated to milliseconds
    TrajectoryEvent event = events().get(0);
    assertThat(event.getTrajectoryId()).isEqualTo(trajectory.trajectoryId());
    assertThat(event.getWorkspace()).isEqualTo("team-a");
    assertThat(event.getAgentId()).isEqualTo("coder@1.0");
    assertThat(event.getTaskId()).isEqualTo("fix-issue-42");
    assertThat(event.getKind()).isEqualTo(StepKind.THOUGHT);
    assertThat(event.getContent()).isEqualTo("I should run the tests");
    assertThat(event.getTs()).isEqualTo(Instant.parse("2026-03-01T12:00:00.123Z"));
  }

  @Test
  void eventIdsAreUnique() {
    // Given a trajectory
    TrajectoryHandle trajectory = recorder.begin(null);

    // When it records many steps
    for (int i = 0; i < 100; i++) {
      trajectory.observe("step " + i);
    }

    // Then no two events share an id
    assertThat(events()).extracting(TrajectoryEvent::getEventId).doesNotHaveDuplicates().hasSize(100);
  }

  @Test
  void aToolResultCarriesTheCallIdOfItsCall() {
    // Given a trajectory that calls a tool
    TrajectoryHandle trajectory = recorder.begin(null);
    String callId = trajectory.toolCall("bash", "{\"cmd\":\"ls\"}");

    // When the tool's result is recorded
    trajectory.toolResult(callId, "README.md", false);

    // Then the call and the result are paired by the same call id
    TrajectoryEvent call = events().get(0);
    TrajectoryEvent result = events().get(1);
    assertThat(call.getKind()).isEqualTo(StepKind.TOOL_CALL);
    assertThat(call.getToolCall().getName()).isEqualTo("bash");
    assertThat(call.getToolCall().getArguments()).isEqualTo("{\"cmd\":\"ls\"}");
    assertThat(call.getToolCall().getCallId()).isEqualTo(callId);
    assertThat(result.getToolResult().getCallId()).isEqualTo(callId);
    assertThat(result.getToolResult().getOutput()).isEqualTo("README.md");
    assertThat(result.getToolResult().getIsError()).isFalse();
  }

  @Test
  void endSealsTheTrajectory() {
    // Given a trajectory that ended successfully
    TrajectoryHandle trajectory = recorder.begin(null);
    trajectory.observe("done already");
    trajectory.end(TrajectoryStatus.SUCCESS);

    // When another step is recorded
    // Then it is refused, and nothing more was sent
    assertThatThrownBy(() -> trajectory.think("one more thing"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(trajectory.trajectoryId())
        .hasMessageContaining("ended");
    assertThat(trajectory.isEnded()).isTrue();
    TrajectoryEvent end = events().get(events().size() - 1);
    assertThat(end.getKind()).isEqualTo(StepKind.END);
    assertThat(end.getStatus()).isEqualTo(TrajectoryStatus.SUCCESS);
    assertThat(events()).hasSize(2);
  }

  @Test
  void rewardIsARewardStep() {
    // Given a trajectory
    TrajectoryHandle trajectory = recorder.begin(null);

    // When a step reward is recorded
    trajectory.reward(0.25);

    // Then it is a REWARD event carrying the value
    assertThat(events().get(0).getKind()).isEqualTo(StepKind.REWARD);
    assertThat(events().get(0).getReward()).isEqualTo(0.25);
  }

  @Test
  void aCustomStepKeepsItsOptionalFieldsButNotForgedIdentity() {
    // Given a trajectory
    TrajectoryHandle trajectory = recorder.begin("t-9", null);

    // When a step sets tags and attributes, and tries to set its own seq and trajectory id
    trajectory.step(
        StepKind.MESSAGE,
        "hello",
        event -> event.setTags(List.of("greeting")).setAttributes(Map.of("lang", "en")).setSeq(99).setTrajectoryId("other"));

    // Then the optional fields are kept and the identity fields are the recorder's
    TrajectoryEvent event = events().get(0);
    assertThat(event.getTags()).containsExactly("greeting");
    assertThat(event.getAttributes()).containsEntry("lang", "en");
    assertThat(event.getSeq()).isZero();
    assertThat(event.getTrajectoryId()).isEqualTo("t-9");
  }

  @Test
  void stepsFromManyThreadsGetDistinctGapFreeSeqs() throws InterruptedException {
    // Given one trajectory shared by four threads
    TrajectoryHandle trajectory = recorder.begin("t-shared", null);
    ExecutorService threads = Executors.newFixedThreadPool(4);

    // When they record 400 steps at once
    for (int i = 0; i < 400; i++) {
      threads.submit(() -> trajectory.observe("x"));
    }
    threads.shutdown();
    assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

    // Then the seqs are exactly 0..399, in the order they were sent
    List<Long> expected = new ArrayList<>();
    for (long seq = 0; seq < 400; seq++) {
      expected.add(seq);
    }
    assertThat(seqsOf("t-shared")).isEqualTo(expected);
  }

  @Test
  void aFailedSendFailsItsFutureAndTheNextFlush() {
    // Given a producer whose sends are completed by hand
    MockProducer<String, TrajectoryEvent> manual = new MockProducer<>(false, null, new StringSerializer(), (topic, event) -> new byte[0]);
    TrajectoryRecorder failing = new TrajectoryRecorder(manual, TOPIC, "w", "a", Clock.systemUTC());
    TrajectoryHandle trajectory = failing.begin(null);
    CompletableFuture<RecordMetadata> sent = trajectory.observe("lost");

    // When the broker never acknowledges it
    manual.errorNext(new TimeoutException("delivery.timeout.ms expired"));

    // Then the step's future fails, and flush reports the lost step instead of staying silent
    assertThat(sent).isCompletedExceptionally();
    assertThatThrownBy(failing::flush)
        .isInstanceOf(KafkaException.class)
        .hasMessageContaining("1 trajectory event was not written")
        .hasMessageContaining("delivery.timeout.ms expired");
  }

  @Test
  void closeFlushesButLeavesAProducerItDidNotCreateOpen() {
    // Given a recorder over a caller's producer
    recorder.begin(null).observe("x");

    // When the recorder is closed
    recorder.close();

    // Then the producer was flushed and is still open for its owner
    assertThat(producer.flushed()).isTrue();
    assertThat(producer.closed()).isFalse();
  }

  private List<TrajectoryEvent> events() {
    return producer.history().stream().map(ProducerRecord::value).toList();
  }

  private List<Long> seqsOf(String trajectoryId) {
    return events().stream()
        .filter(event -> event.getTrajectoryId().equals(trajectoryId))
        .map(TrajectoryEvent::getSeq)
        .toList();
  }
}
