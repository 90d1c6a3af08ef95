package org.trajlake.schema.recorder;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.trajlake.schema.StepKind;
import org.trajlake.schema.ToolCall;
import org.trajlake.schema.ToolResult;
import org.trajlake.schema.TrajectoryEvent;
import org.trajlake.schema.TrajectoryStatus;

/**
 * One trajectory being recorded. Each step becomes a {@link TrajectoryEvent} with a fresh event id,
 * the next seq (from 0) and the current time, keyed by the trajectory id. Thread-safe: steps from
 * several threads get distinct, gap-free seqs. After {@link #end} the handle accepts no more steps.
 *
 * <p>Every method returns the send's future; a failure also surfaces at the recorder's {@code flush()}.
 */
public final class TrajectoryHandle {
  private final String trajectoryId;
  private final String taskId;
  private final String workspace;
  private final String agentId;
  private final Clock clock;
  private final EventSink sink;

  // Guarded by this: seq assignment and send happen together, so the partition holds the steps in
  // seq order and a failed send does not leave a gap.
  private long nextSeq;
  private TrajectoryStatus endedWith;
  private boolean ended;

  TrajectoryHandle(
      String trajectoryId, String taskId, String workspace, String agentId, Clock clock, EventSink sink) {
    this.trajectoryId = requireText(trajectoryId, "trajectoryId");
    this.taskId = taskId;
    this.workspace = workspace;
    this.agentId = agentId;
    this.clock = clock;
    this.sink = sink;
  }

  public String trajectoryId() {
    return trajectoryId;
  }

  public synchronized boolean isEnded() {
    return ended;
  }

  /** What the agent saw: a prompt, a file, a page. */
  public CompletableFuture<RecordMetadata> observe(String text) {
    return step(StepKind.OBSERVATION, text, event -> {});
  }

  /** What the agent reasoned. */
  public CompletableFuture<RecordMetadata> think(String text) {
    return step(StepKind.THOUGHT, text, event -> {});
  }

  /** What the agent did, other than a tool call. */
  public CompletableFuture<RecordMetadata> act(String text) {
    return step(StepKind.ACTION, text, event -> {});
  }

  /** A message to or from the user. */
  public CompletableFuture<RecordMetadata> message(String text) {
    return step(StepKind.MESSAGE, text, event -> {});
  }

  /**
   * Records a tool call and returns its generated call id, to pass to {@link #toolResult}. The
   * send's outcome surfaces at the recorder's {@code flush()}.
   */
  public String toolCall(String name, String argumentsJson) {
    requireText(name, "name");
    String callId = UUID.randomUUID().toString();
    ToolCall call =
        ToolCall.newBuilder()
            .setName(name)
            .setCallId(callId)
            .setArguments(argumentsJson == null ? "{}" : argumentsJson)
            .build();
    step(StepKind.TOOL_CALL, "", event -> event.setToolCall(call));
    return callId;
  }

  /** What the tool with call id {@code callId} returned. */
  public CompletableFuture<RecordMetadata> toolResult(String callId, String output, boolean isError) {
    requireText(callId, "callId");
    ToolResult result =
        ToolResult.newBuilder()
            .setCallId(callId)
            .setOutput(output == null ? "" : output)
            .setIsError(isError)
            .build();
    return step(StepKind.TOOL_RESULT, "", event -> event.setToolResult(result));
  }

  /** A step-level reward from the agent or its environment. */
  public CompletableFuture<RecordMetadata> reward(double value) {
    return step(StepKind.REWARD, "", event -> event.setReward(value));
  }

  /** Ends the trajectory with {@code status}; the handle accepts no more steps. */
  public CompletableFuture<RecordMetadata> end(TrajectoryStatus status) {
    Objects.requireNonNull(status, "status");
    return step(StepKind.END, "", event -> event.setStatus(status));
  }

  /**
   * Records a step of any kind; {@code customize} may set the optional fields (tags, attributes,
   * model usage, embedding, reward, tool call or result). The identity fields (event id, trajectory
   * id, workspace, agent id, task id, seq, ts, kind) are the recorder's and are set after it runs.
   *
   * @throws IllegalStateException when the trajectory has ended
   */
  public CompletableFuture<RecordMetadata> step(
      StepKind kind, String content, Consumer<TrajectoryEvent.Builder> customize) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(customize, "customize");
    TrajectoryEvent.Builder event = TrajectoryEvent.newBuilder().setContent(content == null ? "" : content);
    customize.accept(event);
    synchronized (this) {
      if (ended) {
        throw new IllegalStateException(
            "Trajectory " + trajectoryId + " has ended (" + endedWith + "); begin a new trajectory for more steps");
      }
      TrajectoryEvent built =
          event
              .setEventId(UUID.randomUUID().toString())
              .setTrajectoryId(trajectoryId)
              .setWorkspace(workspace)
              .setAgentId(agentId)
              .setTaskId(taskId)
              .setSeq(nextSeq)
              .setTs(clock.instant().truncatedTo(ChronoUnit.MILLIS))
              .setKind(kind)
              .build();
      CompletableFuture<RecordMetadata> sent = sink.send(built);
      nextSeq++;
      if (kind == StepKind.END) {
        ended = true;
        endedWith = built.getStatus();
      }
      return sent;
    }
  }

  private static String requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }
}
