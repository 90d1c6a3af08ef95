package org.trajlake.cli.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.trajlake.schema.Outcome;
import org.trajlake.schema.Topics;
import org.trajlake.schema.TrajectoryStatus;
import org.trajlake.schema.recorder.RecorderConfig;
import org.trajlake.schema.recorder.TrajectoryHandle;
import org.trajlake.schema.recorder.TrajectoryRecorder;
import org.trajlake.schema.serde.AvroSerdeConfig;
import org.trajlake.stack.Endpoints;

/**
 * A simulated fleet of coding agents writing through {@link TrajectoryRecorder}, as a real agent would:
 * tasks drawn from {@link CodingTask#ALL}, thoughts, tool calls with arguments and results, failed tool
 * calls and retries, and good or poor fixes depending on the agent's skill. The outcomes of each
 * trajectory (tests passed, PR merged, user kept the output) come later, as a CI system and a code host
 * would send them.
 */
final class DemoFleet implements AutoCloseable {
  static final String WORKSPACE = "demo";

  /** One finished trajectory, and what its outcomes will say. */
  record Run(String trajectoryId, String taskId, String agentId, CodingTask task, boolean good, Instant endAcked) {}

  private final Endpoints endpoints;
  private final Topics topics;
  private final String runId;
  private final SplittableRandom random;
  private final Map<String, TrajectoryRecorder> recorders = new HashMap<>();

  DemoFleet(Endpoints endpoints, Topics topics, String runId, long seed) {
    this.endpoints = endpoints;
    this.topics = topics;
    this.runId = runId;
    this.random = new SplittableRandom(seed);
  }

  /** Agents {@code coder-1..n}, each with a skill: the chance that its attempt is the good fix. */
  List<Run> work(int agents, int trajectories, IntConsumer done) {
    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < trajectories; i++) {
      int agent = i % agents + 1;
      double skill = 0.35 + 0.6 * agent / agents;
      CodingTask task = CodingTask.ALL.get(i / agents % CodingTask.ALL.size());
      // Several agents get the same task: the attempts the trainer side pairs up for DPO.
      String taskId = task.slug() + "-" + runId + "-" + (i / (agents * CodingTask.ALL.size()));
      runs.add(attempt("coder-" + agent, task, taskId, random.nextDouble() < skill));
      done.accept(i + 1);
    }
    return runs;
  }

  /** One trajectory of {@code agentId} on {@code task}; returns when Kafka has acknowledged its END. */
  Run attempt(String agentId, CodingTask task, String taskId, boolean good) {
    TrajectoryHandle t = recorder(agentId).begin(taskId);
    t.observe(task.failure());
    t.think("Reproduce it first, then read " + task.file() + ".");
    String run = t.toolCall("bash", "{\"cmd\":\"" + task.testCommand() + "\"}");
    t.toolResult(run, "[ERROR] Tests run: 14, Failures: 1 -- " + task.failure(), true);
    String read = t.toolCall("read_file", "{\"path\":\"" + task.file() + "\"}");
    if (random.nextInt(4) == 0) {
      // A transient tool failure and a retry, as real tool calls have.
      t.toolResult(read, "error: tool timed out after 10s", true);
      t.think("The read timed out; retry once.");
      read = t.toolCall("read_file", "{\"path\":\"" + task.file() + "\"}");
    }
    t.toolResult(read, "(" + (120 + random.nextInt(300)) + " lines of " + task.file() + ")", false);
    if (good) {
      t.think("Cause: " + task.cause() + ". Fix: " + task.fix() + ".");
      String edit = t.toolCall("edit_file", "{\"path\":\"" + task.file() + "\",\"change\":\"" + task.fix() + "\"}");
      t.toolResult(edit, "1 file changed, " + (4 + random.nextInt(30)) + " insertions(+)", false);
      String verify = t.toolCall("bash", "{\"cmd\":\"" + task.testCommand() + "\"}");
      t.toolResult(verify, "[INFO] Tests run: 15, Failures: 0 -- BUILD SUCCESS", false);
      t.message("Fixed: " + task.fix() + ". Tests pass.");
    } else {
      t.think("Quickest way out: " + task.wrongFix() + ".");
      String edit = t.toolCall("edit_file", "{\"path\":\"" + task.file() + "\",\"change\":\"" + task.wrongFix() + "\"}");
      t.toolResult(edit, "1 file changed, 2 insertions(+), 1 deletion(-)", false);
      String verify = t.toolCall("bash", "{\"cmd\":\"" + task.testCommand() + "\"}");
      boolean passes = random.nextBoolean();
      t.toolResult(verify, passes ? "[INFO] BUILD SUCCESS" : "[ERROR] Tests run: 15, Failures: 1", !passes);
      t.message("Applied a workaround: " + task.wrongFix() + ".");
    }
    CompletableFuture<?> end = t.end(good || random.nextInt(3) == 0 ? TrajectoryStatus.SUCCESS : TrajectoryStatus.FAILURE);
    end.join();
    return new Run(t.trajectoryId(), taskId, agentId, task, good, Instant.now());
  }

  /** The outcomes of every run, as CI, the code host and the user's editor report them. */
  void outcomes(List<Run> runs, IntConsumer done) {
    try (KafkaProducer<String, Outcome> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), topics.outcomes().valueSerde().serializer())) {
      int i = 0;
      for (Run run : runs) {
        boolean tests = run.good() ? random.nextInt(10) > 0 : random.nextInt(3) == 0;
        boolean merged = tests && (run.good() ? random.nextInt(10) > 1 : random.nextInt(4) == 0);
        boolean kept = run.good() ? random.nextInt(10) > 2 : random.nextInt(5) == 0;
        send(producer, run, "tests_passed", tests ? 1.0 : 0.0, "ci");
        send(producer, run, "pr_merged", merged ? 1.0 : 0.0, "code-host");
        send(producer, run, "user_kept", kept ? 1.0 : 0.0, "editor");
        done.accept(++i);
      }
      producer.flush();
    }
  }

  private void send(KafkaProducer<String, Outcome> producer, Run run, String kind, double value, String source) {
    Outcome outcome = Outcome.newBuilder().setOutcomeId(run.trajectoryId() + "-" + kind).setTrajectoryId(run.trajectoryId())
        .setWorkspace(WORKSPACE).setKind(kind).setValue(value).setTs(Instant.now()).setSource(source)
        .setAttributes(Map.of()).build();
    producer.send(new ProducerRecord<>(topics.outcomes().name(), run.trajectoryId(), outcome));
  }

  private TrajectoryRecorder recorder(String agentId) {
    return recorders.computeIfAbsent(agentId, id -> TrajectoryRecorder.create(Map.of(
        RecorderConfig.BOOTSTRAP_SERVERS, endpoints.bootstrapServers(),
        AvroSerdeConfig.SCHEMA_REGISTRY_URL, endpoints.registryUrl(),
        RecorderConfig.WORKSPACE, WORKSPACE,
        RecorderConfig.AGENT_ID, id,
        RecorderConfig.TOPIC_PREFIX, topics.prefix())));
  }

  static Duration since(Instant start) {
    return Duration.between(start, Instant.now());
  }

  @Override
  public void close() {
    recorders.values().forEach(TrajectoryRecorder::close);
  }
}
