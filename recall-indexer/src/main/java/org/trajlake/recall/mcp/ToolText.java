package org.trajlake.recall.mcp;

import java.util.Locale;
import org.trajlake.recall.AnyRecallRequest;
import org.trajlake.recall.MatchingStep;
import org.trajlake.recall.RecallMode;
import org.trajlake.recall.RecallRequest;
import org.trajlake.recall.RecallResult;
import org.trajlake.recall.RecalledToolCall;
import org.trajlake.recall.RecalledTrajectory;
import org.trajlake.recall.StepRecallRequest;
import org.trajlake.recall.StepRecallResult;

/** The compact, readable text of a result: what a model reads first, a few lines per hit. */
final class ToolText {
  private static final int LINE_CHARS = 240;

  private ToolText() {}

  static String trajectories(RecallRequest request, RecallResult result) {
    StringBuilder text = heading(result.trajectories().size(), "trajectories", request, result.mode());
    if (result.trajectories().isEmpty()) {
      return text.toString();
    }
    int n = 1;
    for (RecalledTrajectory t : result.trajectories()) {
      text.append('\n').append(n++).append(". ").append(t.trajectoryId()).append(" [").append(t.status());
      if (t.reward() != null) {
        text.append(", reward ").append(String.format(Locale.ROOT, "%.2f", t.reward()));
      }
      if (!t.outcomeKinds().isEmpty()) {
        text.append(", outcomes ").append(String.join(",", t.outcomeKinds()));
      }
      text.append(", agent ").append(t.agentId());
      if (t.taskId() != null) {
        text.append(", task ").append(t.taskId());
      }
      if (!t.tools().isEmpty()) {
        text.append(", tools ").append(String.join(",", t.tools()));
      }
      if (!t.workspace().equals(request.workspace())) {
        text.append(", from workspace ").append(t.workspace());
      }
      text.append(", ended ").append(t.endedAt()).append(']');
      text.append("\n   ").append(cut(t.summary()));
      for (MatchingStep step : t.matchingSteps()) {
        text.append("\n   - step ").append(step.seq()).append(' ').append(step.kind());
        if (step.tool() != null) {
          text.append(' ').append(step.tool());
        }
        text.append(": ").append(cut(step.snippet()));
      }
    }
    return text.toString();
  }

  static String toolCalls(StepRecallRequest request, StepRecallResult result) {
    StringBuilder text = heading(result.toolCalls().size(), "tool calls", request, result.mode());
    if (result.toolCalls().isEmpty()) {
      return text.toString();
    }
    int n = 1;
    for (RecalledToolCall c : result.toolCalls()) {
      text.append('\n').append(n++).append(". ").append(c.tool());
      if (c.isError() != null) {
        text.append(c.isError() ? " (error)" : " (ok)");
      }
      text.append(" in trajectory ").append(c.trajectoryId()).append(" step ").append(c.seq())
          .append(" [").append(c.status());
      if (c.reward() != null) {
        text.append(", reward ").append(String.format(Locale.ROOT, "%.2f", c.reward()));
      }
      text.append(", ").append(c.ts()).append(']');
      text.append("\n   arguments: ").append(cut(c.arguments()));
      if (c.output() != null) {
        text.append("\n   output: ").append(cut(c.output()));
      }
    }
    return text.toString();
  }

  /**
   * The first line, {@code 3 trajectories from workspace team-a for "flaky test" (hybrid):}, which
   * ends {@code : none found.} instead when there are none.
   */
  private static StringBuilder heading(int count, String what, AnyRecallRequest request, RecallMode mode) {
    StringBuilder text = new StringBuilder().append(count).append(' ').append(what).append(" from workspace ")
        .append(request.workspace()).append(" for \"").append(cut(request.query())).append("\" (")
        .append(mode.label()).append(')');
    return count == 0 ? text.append(": none found.") : text.append(':');
  }

  private static String cut(String value) {
    if (value == null) {
      return "";
    }
    String line = value.replaceAll("\\s+", " ").strip();
    return line.length() <= LINE_CHARS ? line : line.substring(0, LINE_CHARS) + "...";
  }
}
