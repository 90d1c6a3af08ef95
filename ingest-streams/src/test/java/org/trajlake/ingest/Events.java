package org.trajlake.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.trajlake.schema.StepKind;
import org.trajlake.schema.ToolCall;
import org.trajlake.schema.ToolResult;
import org.trajlake.schema.TrajectoryEvent;
import org.trajlake.schema.TrajectoryStatus;

/** Valid events to start from; each test changes what its scenario is about. */
final class Events {
  private Events() {}

  static TrajectoryEvent.Builder step(String trajectoryId, long seq, StepKind kind) {
    TrajectoryEvent.Builder event = TrajectoryEvent.newBuilder()
        .setEventId(trajectoryId + "-e" + seq)
        .setTrajectoryId(trajectoryId)
        .setWorkspace("team-a")
        .setAgentId("coder@1")
        .setTaskId("task-1")
        .setSeq(seq)
        .setTs(IngestDriver.START.plusSeconds(seq))
        .setKind(kind)
        .setContent(kind.name().toLowerCase() + " " + seq)
        .setTags(new ArrayList<>())
        .setAttributes(new HashMap<>());
    if (kind == StepKind.TOOL_CALL) {
      event.setToolCall(ToolCall.newBuilder().setName("bash").setCallId("call-" + seq).setArguments("{\"cmd\":\"ls\"}").build());
    }
    if (kind == StepKind.TOOL_RESULT) {
      event.setToolResult(ToolResult.newBuilder().setCallId("call-" + (seq - 1)).setOutput("README.md").setIsError(false).build());
    }
    if (kind == StepKind.END) {
      event.setStatus(TrajectoryStatus.SUCCESS);
    }
    return event;
  }

  static TrajectoryEvent event(String trajectoryId, long seq, StepKind kind) {
    return step(trajectoryId, seq, kind).build();
  }

  /** observe, think, tool call, tool result, ..., END at seq {@code steps - 1}. */
  static List<TrajectoryEvent> trajectory(String trajectoryId, int steps) {
    StepKind[] cycle = {StepKind.OBSERVATION, StepKind.THOUGHT, StepKind.TOOL_CALL, StepKind.TOOL_RESULT};
    List<TrajectoryEvent> events = new ArrayList<>();
    for (int seq = 0; seq < steps - 1; seq++) {
      events.add(event(trajectoryId, seq, cycle[seq % cycle.length]));
    }
    events.add(event(trajectoryId, steps - 1, StepKind.END));
    return events;
  }

  static Instant at(long secondsAfterStart) {
    return IngestDriver.START.plusSeconds(secondsAfterStart);
  }
}
