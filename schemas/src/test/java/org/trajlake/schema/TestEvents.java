package org.trajlake.schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Sample records for tests. */
public final class TestEvents {
  private TestEvents() {}

  /** A TOOL_CALL event with most optional fields set. */
  public static TrajectoryEvent toolCall() {
    return TrajectoryEvent.newBuilder()
        .setEventId("e-1")
        .setTrajectoryId("t-1")
        .setWorkspace("team-a")
        .setAgentId("coder@1.0")
        .setTaskId("fix-issue-42")
        .setSeq(3)
        .setTs(Instant.parse("2026-01-01T00:00:00.123Z"))
        .setKind(StepKind.TOOL_CALL)
        .setContent("running the tests ✓")
        .setToolCall(ToolCall.newBuilder().setName("bash").setCallId("c-1").setArguments("{\"cmd\":\"mvn test\"}").build())
        .setModel(ModelUsage.newBuilder().setModel("claude-sonnet-4").setInputTokens(1200L).build())
        .setTags(List.of("java", "repair"))
        .setAttributes(Map.of("branch", "main"))
        .setEmbedding(List.of(0.5f, -0.25f))
        .build();
  }
}
