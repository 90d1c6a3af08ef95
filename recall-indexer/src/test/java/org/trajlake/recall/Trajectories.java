package org.trajlake.recall;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.trajlake.schema.LabelStatus;
import org.trajlake.schema.Outcome;
import org.trajlake.schema.RewardedTrajectory;
import org.trajlake.schema.Step;
import org.trajlake.schema.StepKind;
import org.trajlake.schema.ToolCall;
import org.trajlake.schema.ToolResult;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.TrajectoryStatus;

/** Small realistic trajectories for the recall tests. */
public final class Trajectories {
  private Trajectories() {}

  /** A coding trajectory: the task as its first observation, a bash call with its result, an END. */
  public static Trajectory coding(String id, String workspace, String task, String toolArguments, TrajectoryStatus status) {
    Instant start = Instant.parse("2026-11-21T10:00:00Z");
    List<Step> steps = new ArrayList<>();
    steps.add(step(id, 0, start, StepKind.OBSERVATION, task).build());
    steps.add(step(id, 1, start, StepKind.THOUGHT, "Look at the failing test first.").build());
    steps.add(step(id, 2, start, StepKind.TOOL_CALL, "")
        .setToolCall(ToolCall.newBuilder().setName("bash").setCallId("c2").setArguments(toolArguments).build()).build());
    steps.add(step(id, 3, start, StepKind.TOOL_RESULT, "")
        .setToolResult(ToolResult.newBuilder().setCallId("c2").setOutput("Tests run: 3, Failures: 1").setIsError(true).build())
        .build());
    steps.add(step(id, 4, start, StepKind.END, "Done.").build());
    return Trajectory.newBuilder()
        .setTrajectoryId(id).setWorkspace(workspace).setAgentId("coder@1").setTaskId("task-" + id)
        .setStatus(status).setStartedAt(start).setEndedAt(start.plusSeconds(4)).setSteps(steps)
        .setTags(List.of("lang:java")).setAttributes(Map.of("repo", "shop")).setVersion(1)
        .setAssembledAt(start.plusSeconds(5)).build();
  }

  public static RewardedTrajectory rewarded(Trajectory trajectory, double reward, long version) {
    Outcome outcome = Outcome.newBuilder().setOutcomeId(trajectory.getTrajectoryId() + "-merged")
        .setTrajectoryId(trajectory.getTrajectoryId()).setWorkspace(trajectory.getWorkspace()).setKind("pr_merged")
        .setValue(1.0).setTs(Instant.parse("2026-11-21T11:00:00Z")).setSource("github").setAttributes(Map.of()).build();
    return RewardedTrajectory.newBuilder().setTrajectory(trajectory).setOutcomes(List.of(outcome)).setReward(reward)
        .setRewardComponents(Map.of("pr_merged", reward)).setLabelStatus(LabelStatus.LABELED).setRewardSpec("default@00000000")
        .setVersion(version).setRewardedAt(Instant.parse("2026-11-21T11:00:01Z")).build();
  }

  private static Step.Builder step(String id, int seq, Instant start, StepKind kind, String content) {
    return Step.newBuilder().setEventId(id + "-" + seq).setSeq(seq).setTs(start.plusSeconds(seq)).setKind(kind)
        .setContent(content).setAttributes(Map.of());
  }
}
