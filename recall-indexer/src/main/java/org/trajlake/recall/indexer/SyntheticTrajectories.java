package org.trajlake.recall.indexer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.trajlake.schema.Step;
import org.trajlake.schema.StepKind;
import org.trajlake.schema.ToolCall;
import org.trajlake.schema.ToolResult;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.TrajectoryStatus;

/**
 * Coding-agent trajectories for the indexing benchmark: 20 steps each (a task, thoughts, 5 tool
 * calls with their results, a message, an END), texts drawn from a vocabulary with a seed, so every
 * task differs (no embedding cache hits) and every run is the same.
 */
final class SyntheticTrajectories {
  static final int STEPS = 20;
  static final int TOOL_CALLS = 5;
  private static final String[] WORDS = ("test build flaky timeout retry cache module gradle maven dependency upgrade "
      + "refactor rename extract interface class method field null pointer exception stack trace assertion mock "
      + "database migration schema index query latency memory leak thread pool deadlock race condition lock "
      + "config property environment variable docker image kubernetes deploy rollback release version tag branch "
      + "merge conflict rebase commit review comment lint format style warning error log metric alert dashboard "
      + "endpoint request response header json parse serialize encode decode utf8 charset locale timezone clock")
      .split(" ");
  private static final String[] TOOLS = {"bash", "read_file", "edit_file", "grep", "run_tests", "git"};
  private static final Instant START = Instant.parse("2026-11-21T00:00:00Z");

  private final long seed;
  private final int dimension;

  /** @param dimension the length of the agent's vector on each trajectory, 0 for none */
  SyntheticTrajectories(long seed, int dimension) {
    this.seed = seed;
    this.dimension = dimension;
  }

  Trajectory trajectory(String runId, int index) {
    SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
    String id = runId + "-" + index;
    Instant start = START.plusSeconds(index);
    List<Step> steps = new ArrayList<>(STEPS);
    steps.add(step(id, steps.size(), start, StepKind.OBSERVATION, "Task: " + words(random, 40)).build());
    steps.add(step(id, steps.size(), start, StepKind.THOUGHT, words(random, 25)).build());
    for (int call = 0; call < TOOL_CALLS; call++) {
      String tool = TOOLS[random.nextInt(TOOLS.length)];
      String callId = "c" + call;
      steps.add(step(id, steps.size(), start, StepKind.TOOL_CALL, "")
          .setToolCall(ToolCall.newBuilder().setName(tool).setCallId(callId)
              .setArguments("{\"cmd\":\"" + words(random, 8) + "\",\"path\":\"src/main/java/" + WORDS[random.nextInt(WORDS.length)]
                  + ".java\"}").build())
          .build());
      steps.add(step(id, steps.size(), start, StepKind.TOOL_RESULT, "")
          .setToolResult(ToolResult.newBuilder().setCallId(callId).setOutput(words(random, 50))
              .setIsError(random.nextInt(5) == 0).build())
          .build());
      steps.add(step(id, steps.size(), start, StepKind.THOUGHT, words(random, 20)).build());
    }
    steps.add(step(id, steps.size(), start, StepKind.MESSAGE, words(random, 30)).build());
    steps.add(step(id, steps.size(), start, StepKind.END, "Done.").build());
    Trajectory.Builder trajectory = Trajectory.newBuilder()
        .setTrajectoryId(id).setWorkspace("bench-" + index % 10).setAgentId("coder@" + index % 3)
        .setTaskId("task-" + index).setStatus(random.nextInt(4) == 0 ? TrajectoryStatus.FAILURE : TrajectoryStatus.SUCCESS)
        .setStartedAt(start).setEndedAt(start.plusSeconds(STEPS)).setSteps(steps)
        .setTags(List.of("lang:java", "bench")).setAttributes(Map.of("repo", "shop-" + index % 7)).setVersion(1)
        .setAssembledAt(start.plusSeconds(STEPS + 1));
    if (dimension > 0) {
      trajectory.setEmbedding(unitVector(random, dimension));
    }
    return trajectory.build();
  }

  private static Step.Builder step(String id, int seq, Instant start, StepKind kind, String content) {
    return Step.newBuilder().setEventId(id + "-" + seq).setSeq(seq).setTs(start.plusMillis(seq * 500L)).setKind(kind)
        .setContent(content).setAttributes(Map.of());
  }

  private static String words(SplittableRandom random, int count) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      text.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
    }
    return text.toString();
  }

  private static List<Float> unitVector(SplittableRandom random, int dimension) {
    double[] values = new double[dimension];
    double norm = 0;
    for (int i = 0; i < dimension; i++) {
      values[i] = random.nextDouble() * 2 - 1;
      norm += values[i] * values[i];
    }
    List<Float> vector = new ArrayList<>(dimension);
    for (double value : values) {
      vector.add((float) (value / Math.sqrt(norm)));
    }
    return vector;
  }
}
