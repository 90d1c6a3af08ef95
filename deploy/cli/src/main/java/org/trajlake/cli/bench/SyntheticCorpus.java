package org.trajlake.cli.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.trajlake.recall.embed.Embedder;
import org.trajlake.schema.Step;
import org.trajlake.schema.StepKind;
import org.trajlake.schema.ToolCall;
import org.trajlake.schema.ToolResult;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.TrajectoryStatus;

/**
 * A large recall corpus built cheaply but realistically: a few hundred task descriptions are
 * embedded with the real model once, and each trajectory takes one of them with a variation in its
 * text and gaussian noise on its vector, so vectors cluster by topic as real ones do and BM25 sees
 * realistic words. Deterministic for a seed.
 */
final class SyntheticCorpus {
  private static final String[] SUBJECTS = {"OrderService", "PaymentController", "the CSV importer", "the search endpoint",
      "the login form", "the cache warmup", "the Kafka consumer", "the S3 uploader", "the gateway", "the scheduler",
      "the invoice PDF renderer", "the GraphQL resolver", "the retry policy", "the migration script", "the Docker build",
      "the metrics exporter", "the feature flag client", "the rate limiter", "the websocket handler", "the email sender"};
  private static final String[] PROBLEMS = {"times out on CI", "throws a NullPointerException", "returns stale data",
      "leaks memory under load", "double-charges on retry", "breaks with unicode input", "is slow with many rows",
      "fails after the dependency upgrade", "drops messages on restart", "logs secrets", "deadlocks under concurrency",
      "rejects valid emails", "uses the wrong time zone", "crashes on empty input", "ignores the config flag"};
  private static final String[] TOOLS = {"bash", "edit_file", "read_file", "search_code", "run_tests"};
  static final List<String> WORKSPACES = List.of("team-a", "team-b", "team-c", "team-d");
  // What a build, a test run or a file read prints, for tool outputs of a chosen length.
  private static final String[] OUTPUT_WORDS = ("INFO WARN ERROR at java.lang line column expected actual but was "
      + "BUILD SUCCESS FAILURE Tests run Failures Errors Skipped Time elapsed seconds src main test java import "
      + "public class void return new final private static String List Map null if else for while try catch throw "
      + "assert mock verify when then given config path file module target compile dependency version resolved "
      + "connection timeout retry pool thread lock query row table index commit").split(" ");

  private final SplittableRandom random;
  private final List<String> tasks = new ArrayList<>();
  private final List<float[]> centroids;
  private final float noise;
  private final int toolOutputWords;

  /** @param toolOutputWords words added to each tool output, for trajectories of a real agent's size; 0 for none */
  SyntheticCorpus(long seed, Embedder embedder, float noise, int toolOutputWords) {
    this.random = new SplittableRandom(seed);
    this.noise = noise;
    this.toolOutputWords = toolOutputWords;
    for (String subject : SUBJECTS) {
      for (String problem : PROBLEMS) {
        tasks.add(subject + " " + problem);
      }
    }
    this.centroids = embedder.embed(tasks);
  }

  int topics() {
    return tasks.size();
  }

  String task(int topic) {
    return tasks.get(topic);
  }

  float[] centroid(int topic) {
    return centroids.get(topic);
  }

  /** Trajectory {@code index}: topic, workspace and status drawn from the seed, 12 steps with 3 tool calls. */
  Trajectory trajectory(String runId, int index) {
    int topic = random.nextInt(tasks.size());
    String id = runId + "-" + index;
    Instant start = Instant.parse("2026-11-01T00:00:00Z").plusSeconds(index * 7L);
    List<Step> steps = new ArrayList<>();
    steps.add(step(id, 0, start, StepKind.OBSERVATION, "Task: " + tasks.get(topic) + " (ticket " + index + ")"));
    int seq = 1;
    for (int call = 0; call < 3; call++) {
      String tool = TOOLS[random.nextInt(TOOLS.length)];
      steps.add(step(id, seq++, start, StepKind.THOUGHT, "Check " + SUBJECTS[random.nextInt(SUBJECTS.length)] + " next."));
      steps.add(Step.newBuilder(step(id, seq, start, StepKind.TOOL_CALL, ""))
          .setToolCall(ToolCall.newBuilder().setName(tool).setCallId(id + "-c" + seq)
              .setArguments("{\"path\":\"src/" + tool + "/" + (index % 50) + ".java\"}").build()).build());
      seq++;
      steps.add(Step.newBuilder(step(id, seq, start, StepKind.TOOL_RESULT, ""))
          .setToolResult(ToolResult.newBuilder().setCallId(id + "-c" + (seq - 1)).setOutput(output())
              .setIsError(random.nextInt(5) == 0).build()).build());
      seq++;
    }
    steps.add(step(id, seq++, start, StepKind.MESSAGE, "Fixed " + tasks.get(topic) + "."));
    steps.add(step(id, seq, start, StepKind.END, ""));
    return Trajectory.newBuilder()
        .setTrajectoryId(id).setWorkspace(WORKSPACES.get(random.nextInt(WORKSPACES.size()))).setAgentId("bench-agent@1")
        .setTaskId("task-" + topic).setStatus(random.nextInt(4) == 0 ? TrajectoryStatus.FAILURE : TrajectoryStatus.SUCCESS)
        .setStartedAt(start).setEndedAt(start.plusSeconds(seq)).setSteps(steps).setTags(List.of("topic:" + (topic % 20)))
        .setAttributes(Map.of()).setEmbedding(vectorNear(topic)).setVersion(1).setAssembledAt(start.plusSeconds(seq + 1))
        .build();
  }

  private String output() {
    StringBuilder output = new StringBuilder("ok ").append(random.nextInt(1000));
    for (int i = 0; i < toolOutputWords; i++) {
      output.append(' ').append(OUTPUT_WORDS[random.nextInt(OUTPUT_WORDS.length)]);
    }
    return output.toString();
  }

  /** A unit vector near topic {@code topic}'s centroid. */
  List<Float> vectorNear(int topic) {
    float[] centroid = centroids.get(topic);
    float[] vector = new float[centroid.length];
    double norm = 0;
    for (int i = 0; i < vector.length; i++) {
      vector[i] = centroid[i] + (float) (random.nextGaussian() * noise);
      norm += vector[i] * vector[i];
    }
    List<Float> unit = new ArrayList<>(vector.length);
    for (float value : vector) {
      unit.add((float) (value / Math.sqrt(norm)));
    }
    return unit;
  }

  int randomTopic() {
    return random.nextInt(tasks.size());
  }

  /** A step of trajectory {@code id}, {@code seq} seconds after {@code start}. */
  static Step step(String id, int seq, Instant start, StepKind kind, String content) {
    return Step.newBuilder().setEventId(id + "-" + seq).setSeq(seq).setTs(start.plusSeconds(seq)).setKind(kind)
        .setContent(content).setAttributes(Map.of()).build();
  }
}
