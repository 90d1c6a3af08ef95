package org.trajlake.cli.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.trajlake.schema.Outcome;
import org.trajlake.schema.StepKind;
import org.trajlake.schema.ToolCall;
import org.trajlake.schema.ToolResult;
import org.trajlake.schema.TrajectoryEvent;
import org.trajlake.schema.TrajectoryStatus;

/**
 * Deterministic synthetic trajectories for benchmarks: a cycle of observe, think, tool call, tool
 * result, with contents of a fixed size drawn from a seeded generator, and an outcome per trajectory.
 */
final class SyntheticEvents {
  private static final String[] WORDS = {"the", "test", "fails", "because", "OrderService", "waits", "on", "a",
      "real", "clock", "inject", "Clock", "and", "assert", "timeout", "retry", "build", "gradle", "maven", "patch",
      "diff", "merge", "stack", "trace", "null", "pointer", "refactor", "module", "config", "schema"};
  private static final StepKind[] CYCLE = {StepKind.OBSERVATION, StepKind.THOUGHT, StepKind.TOOL_CALL, StepKind.TOOL_RESULT};

  private final SplittableRandom random;
  private final int steps;
  private final int contentBytes;
  private final Instant start;

  SyntheticEvents(long seed, int steps, int contentBytes, Instant start) {
    this.random = new SplittableRandom(seed);
    this.steps = steps;
    this.contentBytes = contentBytes;
    this.start = start;
  }

  static String trajectoryId(String runId, int index) {
    return runId + "-" + index;
  }

  /** The events of trajectory {@code index}: {@code steps} of them, the last an END. */
  List<TrajectoryEvent> trajectory(String runId, int index) {
    String id = trajectoryId(runId, index);
    List<TrajectoryEvent> events = new ArrayList<>(steps);
    for (int seq = 0; seq < steps; seq++) {
      StepKind kind = seq == steps - 1 ? StepKind.END : CYCLE[seq % CYCLE.length];
      TrajectoryEvent.Builder event = TrajectoryEvent.newBuilder()
          .setEventId(id + "-" + seq)
          .setTrajectoryId(id)
          .setWorkspace("bench")
          .setAgentId("bench-agent@1")
          .setTaskId("task-" + (index % 100))
          .setSeq(seq)
          .setTs(start.plusMillis(index * 10L + seq))
          .setKind(kind)
          .setContent(text(contentBytes))
          .setTags(List.of())
          .setAttributes(Map.of());
      if (kind == StepKind.TOOL_CALL) {
        event.setToolCall(ToolCall.newBuilder().setName("bash").setCallId(id + "-c" + seq).setArguments("{\"cmd\":\"mvn test\"}").build());
      } else if (kind == StepKind.TOOL_RESULT) {
        event.setToolResult(ToolResult.newBuilder().setCallId(id + "-c" + (seq - 1)).setOutput("BUILD SUCCESS").setIsError(false).build());
      } else if (kind == StepKind.END) {
        event.setStatus(random.nextInt(4) == 0 ? TrajectoryStatus.FAILURE : TrajectoryStatus.SUCCESS);
      }
      events.add(event.build());
    }
    return events;
  }

  Outcome outcome(String runId, int index) {
    String id = trajectoryId(runId, index);
    return Outcome.newBuilder()
        .setOutcomeId(id + "-tests")
        .setTrajectoryId(id)
        .setWorkspace("bench")
        .setKind("tests_passed")
        .setValue(random.nextInt(3) == 0 ? 0.0 : 1.0)
        .setTs(start.plusMillis(index * 10L + steps))
        .setSource("bench-ci")
        .setAttributes(Map.of())
        .build();
  }

  private String text(int bytes) {
    StringBuilder text = new StringBuilder(bytes + 16);
    while (text.length() < bytes) {
      text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
    }
    text.setLength(bytes);
    return text.toString();
  }
}
