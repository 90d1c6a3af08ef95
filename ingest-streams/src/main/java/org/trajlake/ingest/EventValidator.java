package org.trajlake.ingest;

import java.util.List;
import java.util.Optional;
import org.trajlake.schema.StepKind;
import org.trajlake.schema.ToolCall;
import org.trajlake.schema.ToolResult;
import org.trajlake.schema.TrajectoryEvent;
import org.trajlake.schema.WorkspaceNames;

/**
 * The checks every decoded event passes before it reaches a trajectory. Each failure has its own
 * reason code, so the dead-letter topic tells an agent's author exactly what to fix.
 */
final class EventValidator {
  static final int MAX_ID_LENGTH = 256;

  private final int maxContentBytes;
  private final long maxFutureSkewMs;

  EventValidator(int maxContentBytes, long maxFutureSkewMs) {
    this.maxContentBytes = maxContentBytes;
    this.maxFutureSkewMs = maxFutureSkewMs;
  }

  Optional<Rejection> validate(String key, TrajectoryEvent event, long nowMs) {
    Optional<Rejection> ids = firstOf(
        id("event_id", event.getEventId(), "missing-event-id"),
        id("trajectory_id", event.getTrajectoryId(), "missing-trajectory-id"),
        id("workspace", event.getWorkspace(), "missing-workspace"),
        id("agent_id", event.getAgentId(), "missing-agent-id"));
    if (ids.isPresent()) {
      return ids;
    }
    if (!WorkspaceNames.isValid(event.getWorkspace())) {
      return reject("invalid-workspace", "workspace '" + event.getWorkspace() + "' is not " + WorkspaceNames.RULE
          + ": recall could never be asked for it");
    }
    if (!key.equals(event.getTrajectoryId())) {
      // The key picks the partition; a step keyed otherwise would be assembled apart from its trajectory.
      return reject("key-mismatch", "record key '" + key + "' is not the event's trajectory_id '"
          + event.getTrajectoryId() + "'");
    }
    if (event.getKind() == StepKind.UNKNOWN) {
      return reject("unknown-kind", "kind is not one of " + List.of(StepKind.values()).subList(0, StepKind.values().length - 1)
          + " (a newer writer's kind reads as UNKNOWN)");
    }
    if (event.getSeq() < 0) {
      return reject("negative-seq", "seq is " + event.getSeq() + "; steps are numbered from 0");
    }
    long ts = event.getTs().toEpochMilli();
    if (ts < 0) {
      return reject("invalid-timestamp", "ts " + event.getTs() + " is before 1970");
    }
    if (ts > nowMs + maxFutureSkewMs) {
      return reject("future-timestamp", "ts " + event.getTs() + " is more than " + maxFutureSkewMs
          + " ms ahead of this service's clock (ingest.max.future.skew.ms)");
    }
    long bytes = textBytes(event);
    if (bytes > maxContentBytes) {
      return reject("content-too-large", "content, tool arguments and tool output are " + bytes
          + " UTF-8 bytes; the limit is " + maxContentBytes + " (ingest.max.content.bytes)");
    }
    return firstOf(toolCall(event), toolResult(event), end(event), embedding(event));
  }

  private static Optional<Rejection> id(String field, String value, String missingReason) {
    if (value == null || value.isBlank()) {
      return reject(missingReason, field + " is empty");
    }
    if (value.length() > MAX_ID_LENGTH) {
      return reject("invalid-id", field + " is " + value.length() + " characters; at most " + MAX_ID_LENGTH);
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        return reject("invalid-id", field + " contains the control character U+"
            + String.format("%04X", (int) value.charAt(i)));
      }
    }
    return Optional.empty();
  }

  private static Optional<Rejection> toolCall(TrajectoryEvent event) {
    ToolCall call = event.getToolCall();
    if (event.getKind() == StepKind.TOOL_CALL && call == null) {
      return reject("missing-tool-call", "a TOOL_CALL step has no tool_call");
    }
    if (call != null && (call.getName().isBlank() || call.getCallId().isBlank())) {
      return reject("invalid-tool-call", "tool_call needs a name and a call_id (name '" + call.getName()
          + "', call_id '" + call.getCallId() + "')");
    }
    return Optional.empty();
  }

  private static Optional<Rejection> toolResult(TrajectoryEvent event) {
    ToolResult result = event.getToolResult();
    if (event.getKind() == StepKind.TOOL_RESULT && result == null) {
      return reject("missing-tool-result", "a TOOL_RESULT step has no tool_result");
    }
    if (result != null && result.getCallId().isBlank()) {
      return reject("invalid-tool-result", "tool_result needs the call_id of its call");
    }
    return Optional.empty();
  }

  private static Optional<Rejection> end(TrajectoryEvent event) {
    return event.getKind() == StepKind.END && event.getStatus() == null
        ? reject("end-without-status", "an END step must say how the trajectory ended (status)")
        : Optional.empty();
  }

  private static Optional<Rejection> embedding(TrajectoryEvent event) {
    List<Float> embedding = event.getEmbedding();
    if (embedding == null) {
      return Optional.empty();
    }
    if (embedding.isEmpty()) {
      return reject("invalid-embedding", "embedding is an empty vector");
    }
    for (Float value : embedding) {
      if (value == null || !Float.isFinite(value)) {
        return reject("invalid-embedding", "embedding holds " + value + "; every element must be a finite number");
      }
    }
    return Optional.empty();
  }

  /** UTF-8 size of the free text of an event, counted without encoding it. */
  static long textBytes(TrajectoryEvent event) {
    long bytes = utf8Length(event.getContent());
    if (event.getToolCall() != null) {
      bytes += utf8Length(event.getToolCall().getArguments());
    }
    if (event.getToolResult() != null) {
      bytes += utf8Length(event.getToolResult().getOutput());
    }
    return bytes;
  }

  static long utf8Length(CharSequence text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  @SafeVarargs
  private static Optional<Rejection> firstOf(Optional<Rejection>... checks) {
    for (Optional<Rejection> check : checks) {
      if (check.isPresent()) {
        return check;
      }
    }
    return Optional.empty();
  }

  private static Optional<Rejection> reject(String reason, String detail) {
    return Optional.of(new Rejection(reason, detail));
  }
}
