package org.trajlake.joiner;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.trajlake.schema.Outcome;
import org.trajlake.schema.Step;
import org.trajlake.schema.StepKind;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.TrajectoryStatus;

/** Small valid inputs, changed one field at a time by the tests. */
final class Records {
  static final String WORKSPACE = "team-a";
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  private Records() {}

  static Trajectory trajectory(String id) {
    return trajectory(id, 1);
  }

  static Trajectory trajectory(String id, int version) {
    return Trajectory.newBuilder()
        .setTrajectoryId(id)
        .setWorkspace(WORKSPACE)
        .setAgentId("coder@1.0")
        .setTaskId("fix-issue-42")
        .setStatus(TrajectoryStatus.SUCCESS)
        .setStartedAt(T0)
        .setEndedAt(T0.plusSeconds(60))
        .setSteps(List.of(Step.newBuilder()
            .setEventId(id + "-e0")
            .setSeq(0)
            .setTs(T0)
            .setKind(StepKind.END)
            .setContent("done, version " + version)
            .build()))
        .setVersion(version)
        .setAssembledAt(T0.plusSeconds(61 + version))
        .build();
  }

  /** An outcome of {@code kind} with {@code value}, its ts at {@code secondsAfterT0}. */
  static Outcome outcome(String outcomeId, String trajectoryId, String kind, double value, long secondsAfterT0) {
    return Outcome.newBuilder()
        .setOutcomeId(outcomeId)
        .setTrajectoryId(trajectoryId)
        .setWorkspace(WORKSPACE)
        .setKind(kind)
        .setValue(value)
        .setTs(T0.plusSeconds(secondsAfterT0))
        .setSource("ci-bot")
        .setAttributes(Map.of())
        .build();
  }

  static Outcome outcome(String outcomeId, String trajectoryId, String kind, double value) {
    return outcome(outcomeId, trajectoryId, kind, value, 100);
  }

  static Trajectory withWorkspace(Trajectory trajectory, String workspace) {
    return Trajectory.newBuilder(trajectory).setWorkspace(workspace).build();
  }

  static Outcome withWorkspace(Outcome outcome, String workspace) {
    return Outcome.newBuilder(outcome).setWorkspace(workspace).build();
  }
}
