package org.trajlake.recall.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.trajlake.recall.RecallMode;
import org.trajlake.recall.RecallRequest;
import org.trajlake.recall.RecallResult;
import org.trajlake.recall.RecalledToolCall;
import org.trajlake.recall.StepRecallRequest;
import org.trajlake.recall.StepRecallResult;

class ToolTextTest {
  @Test
  void aRecallThatFindsNothingSaysSoInOneLine() {
    // Given a trajectory recall that found nothing
    RecallRequest request = RecallRequest.builder("team-a", "flaky   test").build();

    // When its text is written
    String text = ToolText.trajectories(request, new RecallResult(RecallMode.HYBRID, "rrf", 3, List.of()));

    // Then one line names the workspace, the query on one line, and the mode
    assertThat(text).isEqualTo("0 trajectories from workspace team-a for \"flaky test\" (hybrid): none found.");
  }

  @Test
  void aToolCallIsListedUnderTheHeading() {
    // Given a tool-call recall that found one failed call
    StepRecallRequest request = StepRecallRequest.builder("team-a", "mvn test").mode(RecallMode.BM25).build();
    RecalledToolCall call = new RecalledToolCall("t1#2", 1.5, 1, null, "t1", "team-a", "coder@1", "task-1", "FAILURE",
        null, 2, Instant.parse("2026-11-01T10:00:02Z"), "bash", "c2", "{\"cmd\":\"mvn test\"}", "BUILD FAILURE", true, 3L);

    // When its text is written
    String text = ToolText.toolCalls(request, new StepRecallResult(RecallMode.BM25, "none", 3, List.of(call)));

    // Then the heading ends with a colon and the call follows, numbered
    assertThat(text).isEqualTo("""
        1 tool calls from workspace team-a for "mvn test" (bm25):
        1. bash (error) in trajectory t1 step 2 [FAILURE, 2026-11-01T10:00:02Z]
           arguments: {"cmd":"mvn test"}
           output: BUILD FAILURE""");
  }
}
