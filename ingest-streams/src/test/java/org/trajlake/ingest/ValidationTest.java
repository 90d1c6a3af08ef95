package org.trajlake.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.trajlake.runtime.DeadLetter;
import org.trajlake.schema.StepKind;
import org.trajlake.schema.ToolCall;
import org.trajlake.schema.ToolResult;
import org.trajlake.schema.TrajectoryEvent;

/** Every way an event is refused: to the dead-letter topic with its own reason and its original bytes. */
class ValidationTest {
  private final IngestDriver ingest = new IngestDriver();

  @AfterEach
  void close() {
    ingest.close();
  }

  static Stream<Arguments> invalidEvents() {
    return Stream.of(
        invalid("missing-event-id", e -> e.setEventId("")),
        invalid("missing-trajectory-id", e -> e.setTrajectoryId(" ")),
        invalid("missing-workspace", e -> e.setWorkspace("")),
        invalid("invalid-workspace", e -> e.setWorkspace("team a/b")),
        invalid("missing-agent-id", e -> e.setAgentId("")),
        invalid("invalid-id", e -> e.setEventId("evt\u0000zero")),
        invalid("invalid-id", e -> e.setAgentId("a".repeat(300))),
        invalid("unknown-kind", e -> e.setKind(StepKind.UNKNOWN)),
        invalid("negative-seq", e -> e.setSeq(-3)),
        invalid("invalid-timestamp", e -> e.setTs(java.time.Instant.ofEpochMilli(-1))),
        invalid("future-timestamp", e -> e.setTs(IngestDriver.START.plus(Duration.ofDays(400)))),
        invalid("content-too-large", e -> e.setContent("x".repeat(256 * 1024 + 1))),
        invalid("content-too-large", e -> e.setContent("\u00e9".repeat(140 * 1024))),
        invalid("missing-tool-call", e -> e.setKind(StepKind.TOOL_CALL).setToolCall(null)),
        invalid("invalid-tool-call", e -> e.setToolCall(ToolCall.newBuilder().setName("").setCallId("c").setArguments("{}").build())),
        invalid("missing-tool-result", e -> e.setKind(StepKind.TOOL_RESULT).setToolResult(null)),
        invalid("invalid-tool-result", e -> e.setToolResult(ToolResult.newBuilder().setCallId("").setOutput("").setIsError(false).build())),
        invalid("end-without-status", e -> e.setKind(StepKind.END).setStatus(null)),
        invalid("invalid-embedding", e -> e.setEmbedding(List.of())),
        invalid("invalid-embedding", e -> e.setEmbedding(List.of(0.1f, Float.NaN))));
  }

  private static Arguments invalid(String reason, Consumer<TrajectoryEvent.Builder> breakIt) {
    return Arguments.of(reason, breakIt);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidEvents")
  void invalidEventIsDeadLetteredWithItsReason(String reason, Consumer<TrajectoryEvent.Builder> breakIt) {
    // Given an event broken in one way, keyed as its trajectory id says
    TrajectoryEvent.Builder builder = Events.step("v1", 1, StepKind.THOUGHT);
    breakIt.accept(builder);
    TrajectoryEvent event = builder.build();
    byte[] value = ingest.serialize(event);

    // When it arrives
    ingest.sendRaw(IngestDriver.key("v1"), value);

    // Then it is in the dead-letter topic with that reason and its original key and value, and nothing else came out
    List<TestRecord<byte[], byte[]>> dead = ingest.deadLetters();
    assertThat(dead).hasSize(1);
    assertThat(IngestDriver.deadLetterOf(dead.get(0)).reason()).isEqualTo(reason);
    assertThat(IngestDriver.deadLetterOf(dead.get(0)).detail()).isNotBlank();
    assertThat(dead.get(0).key()).isEqualTo(IngestDriver.key("v1"));
    assertThat(dead.get(0).value()).isEqualTo(value);
    assertThat(ingest.counter("trajlake.dlq", "reason", reason)).isEqualTo(1);
  }

  @Test
  void keyThatIsNotTheTrajectoryIdIsRefused() {
    byte[] value = ingest.serialize(Events.event("v2", 0, StepKind.OBSERVATION));

    ingest.sendRaw(IngestDriver.key("some-other-trajectory"), value);

    assertThat(reasons()).containsExactly("key-mismatch");
  }

  @Test
  void missingKeyIsRefused() {
    ingest.sendRaw(null, ingest.serialize(Events.event("v3", 0, StepKind.OBSERVATION)));

    assertThat(reasons()).containsExactly("missing-key");
  }

  @Test
  void keyThatIsNotUtf8IsRefused() {
    ingest.sendRaw(new byte[] {(byte) 0xC3, (byte) 0x28}, ingest.serialize(Events.event("v4", 0, StepKind.OBSERVATION)));

    assertThat(reasons()).containsExactly("invalid-key");
  }

  @Test
  void tombstoneIsRefused() {
    ingest.sendRaw(IngestDriver.key("v5"), null);

    assertThat(reasons()).containsExactly("missing-value");
  }

  @Test
  void bytesWithoutTheConfluentHeaderAreRefused() {
    ingest.sendRaw(IngestDriver.key("v6"), "{\"event_id\":\"json?\"}".getBytes(StandardCharsets.UTF_8));

    assertThat(reasons()).containsExactly("no-magic-byte");
  }

  @Test
  void unknownSchemaIdIsRefused() {
    byte[] framed = ByteBuffer.allocate(9).put((byte) 0).putInt(987_654).putInt(42).array();

    ingest.sendRaw(IngestDriver.key("v7"), framed);

    assertThat(reasons()).containsExactly("unknown-schema-id");
  }

  @Test
  void truncatedAvroIsRefused() {
    byte[] value = ingest.serialize(Events.event("v8", 0, StepKind.OBSERVATION));

    ingest.sendRaw(IngestDriver.key("v8"), java.util.Arrays.copyOf(value, value.length / 2));

    assertThat(reasons()).containsExactly("decode-failed");
  }

  @Test
  void eventOfAnotherWorkspaceCannotJoinATrajectory() {
    // Given a trajectory started in workspace team-a
    ingest.send(Events.event("v9", 0, StepKind.OBSERVATION));

    // When an event of workspace team-b claims the same trajectory id
    ingest.send(Events.step("v9", 1, StepKind.THOUGHT).setWorkspace("team-b").build());

    // Then it is refused
    assertThat(reasons()).containsExactly("workspace-mismatch");
  }

  @Test
  void badInputNeverStopsTheApplication() {
    // Given a burst of garbage
    for (int i = 0; i < 20; i++) {
      ingest.sendRaw(IngestDriver.key("junk"), new byte[] {(byte) i, 1, 2});
    }

    // When a valid trajectory follows
    Events.trajectory("v10", 4).forEach(ingest::send);

    // Then every bad record is accounted for and the trajectory still comes out
    assertThat(ingest.deadLetters()).hasSize(20);
    assertThat(ingest.emitted()).hasSize(1);
  }

  @Test
  void originalHeadersAreKeptBesideTheDeadLetterOnes() {
    org.apache.kafka.common.header.internals.RecordHeaders headers = new org.apache.kafka.common.header.internals.RecordHeaders();
    headers.add("traceparent", "00-abc-def-01".getBytes(StandardCharsets.UTF_8));

    ingest.sendRaw(IngestDriver.key("v11"), new byte[] {9}, headers);

    TestRecord<byte[], byte[]> dead = ingest.deadLetters().get(0);
    assertThat(new String(dead.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8)).isEqualTo("00-abc-def-01");
    assertThat(DeadLetter.from(dead.headers())).isPresent();
  }

  private List<String> reasons() {
    return ingest.deadLetters().stream().map(r -> IngestDriver.deadLetterOf(r).reason()).toList();
  }
}
