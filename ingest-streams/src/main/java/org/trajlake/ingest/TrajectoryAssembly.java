package org.trajlake.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.trajlake.ingest.state.Phase;
import org.trajlake.ingest.state.TrajectoryState;
import org.trajlake.schema.Step;
import org.trajlake.schema.StepKind;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.TrajectoryEvent;
import org.trajlake.schema.TrajectoryStatus;

/** Pure functions from events and state to steps, new state and the assembled Trajectory. */
final class TrajectoryAssembly {
  private TrajectoryAssembly() {}

  static TrajectoryState open(TrajectoryEvent first) {
    return TrajectoryState.newBuilder()
        .setTrajectoryId(first.getTrajectoryId())
        .setWorkspace(first.getWorkspace())
        .setAgentId(first.getAgentId())
        .setTaskId(first.getTaskId())
        .setPhase(Phase.OPEN)
        .setStepCount(0)
        .setMaxSeq(-1)
        .setFirstTs(Long.MAX_VALUE)
        .setLastTs(Long.MIN_VALUE)
        .setTags(new ArrayList<>())
        .setEmittedVersion(0)
        .setDeadlineMs(-1)
        .build();
  }

  static Step step(TrajectoryEvent event) {
    return Step.newBuilder()
        .setEventId(event.getEventId())
        .setSeq(event.getSeq())
        .setTs(event.getTs())
        .setKind(event.getKind())
        .setContent(event.getContent())
        .setToolCall(event.getToolCall())
        .setToolResult(event.getToolResult())
        .setReward(event.getReward())
        .setModel(event.getModel())
        .setAttributes(event.getAttributes())
        .setEmbedding(event.getEmbedding())
        .build();
  }

  /** Records a newly held step in the state (not its phase: the processor decides that). */
  static void add(TrajectoryState state, TrajectoryEvent event) {
    long ts = event.getTs().toEpochMilli();
    state.setStepCount(state.getStepCount() + 1);
    state.setMaxSeq(Math.max(state.getMaxSeq(), event.getSeq()));
    state.setFirstTs(Math.min(state.getFirstTs(), ts));
    state.setLastTs(Math.max(state.getLastTs(), ts));
    if (state.getTaskId() == null && event.getTaskId() != null) {
      state.setTaskId(event.getTaskId());
    }
    if (!event.getTags().isEmpty()) {
      TreeSet<String> tags = new TreeSet<>(state.getTags());
      tags.addAll(event.getTags());
      state.setTags(new ArrayList<>(tags));
    }
    if (event.getKind() == StepKind.END) {
      state.setEndStatus(event.getStatus().name());
      state.setEmbedding(event.getEmbedding());
    }
  }

  /** True once END is held and so is every seq from 0 to the highest. */
  static boolean complete(TrajectoryState state) {
    return state.getEndStatus() != null && state.getStepCount() == state.getMaxSeq() + 1;
  }

  /** The trajectory as it stands: steps in seq order, the next version. */
  static Trajectory assemble(TrajectoryState state, List<Step> stepsInSeqOrder, long nowMs) {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (Step step : stepsInSeqOrder) {
      attributes.putAll(step.getAttributes());
    }
    TrajectoryStatus status = state.getEndStatus() == null
        ? TrajectoryStatus.INCOMPLETE
        : TrajectoryStatus.valueOf(state.getEndStatus());
    return Trajectory.newBuilder()
        .setTrajectoryId(state.getTrajectoryId())
        .setWorkspace(state.getWorkspace())
        .setAgentId(state.getAgentId())
        .setTaskId(state.getTaskId())
        .setStatus(status)
        .setStartedAt(Instant.ofEpochMilli(state.getFirstTs()))
        .setEndedAt(Instant.ofEpochMilli(state.getLastTs()))
        .setSteps(stepsInSeqOrder)
        .setTags(List.copyOf(state.getTags()))
        .setAttributes(attributes)
        .setEmbedding(state.getEmbedding())
        .setVersion(state.getEmittedVersion() + 1)
        .setAssembledAt(Instant.ofEpochMilli(nowMs))
        .build();
  }
}
