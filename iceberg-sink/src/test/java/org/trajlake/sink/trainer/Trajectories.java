package org.trajlake.sink.trainer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.data.Record;
import org.trajlake.schema.LabelStatus;
import org.trajlake.schema.RewardedTrajectory;
import org.trajlake.schema.Step;
import org.trajlake.schema.StepKind;
import org.trajlake.schema.ToolCall;
import org.trajlake.schema.ToolResult;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.TrajectoryStatus;
import org.trajlake.sink.table.RowConverter;
import org.trajlake.sink.table.TableSchemas;

/** Rewarded trajectories for tests, as reward-joiner emits them, and their table rows. */
public final class Trajectories {
  public static final Instant DAY = Instant.parse("2025-06-01T10:00:00Z");
  static final org.apache.iceberg.Schema SCHEMA = TableSchemas.trajectories(RewardedTrajectory.getClassSchema());

  private Trajectories() {}

  public static Builder trajectory(String id) {
    return new Builder(id);
  }

  /** The table row of {@code rewarded}, as the sink writes it. */
  public static Record row(RewardedTrajectory rewarded) {
    return RowConverter.trajectories(SCHEMA, RewardedTrajectory.getClassSchema()).convert(rewarded);
  }

  static Step observation(String content) {
    return step(StepKind.OBSERVATION, content).build();
  }

  static Step message(String content) {
    return step(StepKind.MESSAGE, content).build();
  }

  static Step thought(String content) {
    return step(StepKind.THOUGHT, content).build();
  }

  static Step action(String content) {
    return step(StepKind.ACTION, content).build();
  }

  static Step call(String callId, String name, String arguments) {
    return step(StepKind.TOOL_CALL, "").setToolCall(new ToolCall(name, callId, arguments)).build();
  }

  static Step result(String callId, String output) {
    return step(StepKind.TOOL_RESULT, "").setToolResult(new ToolResult(callId, output, false)).build();
  }

  static Step reward(double value) {
    return step(StepKind.REWARD, "").setReward(value).build();
  }

  static Step end() {
    return step(StepKind.END, "done").build();
  }

  private static Step.Builder step(StepKind kind, String content) {
    return Step.newBuilder().setEventId("e").setSeq(0).setTs(DAY).setKind(kind).setContent(content);
  }

  public static final class Builder {
    private final String id;
    private String taskId;
    private Double reward;
    private long version = 1;
    private LabelStatus label = LabelStatus.LABELED;
    private Instant endedAt = DAY;
    private final Map<String, String> attributes = new HashMap<>();
    private List<Step> steps;

    private Builder(String id) {
      this.id = id;
    }

    public Builder task(String taskId) {
      this.taskId = taskId;
      return this;
    }

    public Builder reward(Double reward) {
      this.reward = reward;
      return this;
    }

    public Builder version(long version) {
      this.version = version;
      return this;
    }

    public Builder label(LabelStatus label) {
      this.label = label;
      return this;
    }

    public Builder endedAt(Instant endedAt) {
      this.endedAt = endedAt;
      return this;
    }

    public Builder attribute(String key, String value) {
      attributes.put(key, value);
      return this;
    }

    public Builder steps(Step... steps) {
      this.steps = List.of(steps);
      return this;
    }

    public RewardedTrajectory build() {
      List<Step> steps = this.steps != null ? this.steps
          : List.of(observation("Solve " + (taskId == null ? id : taskId)), action("answer from " + id), end());
      List<Step> numbered = new ArrayList<>();
      for (int i = 0; i < steps.size(); i++) {
        numbered.add(Step.newBuilder(steps.get(i)).setEventId(id + "-" + i).setSeq(i)
            .setTs(endedAt.minusSeconds(steps.size() - i)).build());
      }
      Trajectory trajectory = Trajectory.newBuilder().setTrajectoryId(id).setWorkspace("ws").setAgentId("agent-1")
          .setTaskId(taskId).setStatus(TrajectoryStatus.SUCCESS).setStartedAt(endedAt.minusSeconds(steps.size()))
          .setEndedAt(endedAt).setSteps(numbered).setAttributes(attributes).setAssembledAt(endedAt).build();
      return RewardedTrajectory.newBuilder().setTrajectory(trajectory).setReward(reward).setLabelStatus(label)
          .setVersion(version).setRewardedAt(endedAt.plusSeconds(60)).build();
    }
  }
}
