package org.trajlake.recall;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepMatcherTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode source(String steps) throws Exception {
    return JSON.readTree("{\"steps\":" + steps + "}");
  }

  @Test
  void stepsHoldingMoreQueryTermsComeFirstWithTheirPassage() throws Exception {
    // Given a trajectory whose step 2 calls a tool with the test name and step 0 states the task
    JsonNode source = source("[{\"seq\":0,\"kind\":\"OBSERVATION\",\"content\":\"InvoiceRoundingTest fails on CI\"},"
        + "{\"seq\":1,\"kind\":\"THOUGHT\",\"content\":\"look at the build\"},"
        + "{\"seq\":2,\"kind\":\"TOOL_CALL\",\"content\":\"\",\"tool_call\":{\"name\":\"bash\","
        + "\"arguments\":\"mvn test -Dtest=InvoiceRoundingTest#halfEven\"}}]");

    // When matched against a query naming the test and the method
    List<MatchingStep> steps = new StepMatcher("why does InvoiceRoundingTest#halfEven fail").match(source);

    // Then the tool call (two terms) comes before the observation (one), with the tool and a snippet
    assertThat(steps).extracting(MatchingStep::seq).containsExactly(2L, 0L);
    assertThat(steps.get(0).tool()).isEqualTo("bash");
    assertThat(steps.get(0).kind()).isEqualTo("TOOL_CALL");
    assertThat(steps.get(0).snippet()).contains("InvoiceRoundingTest#halfEven");
  }

  @Test
  void stopwordsAloneMatchNothing() throws Exception {
    JsonNode source = source("[{\"seq\":0,\"kind\":\"THOUGHT\",\"content\":\"why is the sky blue\"}]");

    assertThat(new StepMatcher("why is the").match(source)).isEmpty();
  }

  @Test
  void atMostThreeStepsAndLongPassagesAreCut() throws Exception {
    // Given five steps that each mention the term, one very long
    String longText = "x".repeat(500) + " timeout " + "y".repeat(500);
    JsonNode source = source("[{\"seq\":0,\"content\":\"" + longText + "\"},{\"seq\":1,\"content\":\"timeout\"},"
        + "{\"seq\":2,\"content\":\"timeout\"},{\"seq\":3,\"content\":\"timeout\"},{\"seq\":4,\"content\":\"timeout\"}]");

    // When matched
    List<MatchingStep> steps = new StepMatcher("timeout").match(source);

    // Then three come back, in seq order among equals, the long one cut around its match
    assertThat(steps).extracting(MatchingStep::seq).containsExactly(0L, 1L, 2L);
    assertThat(steps.get(0).snippet()).hasSize(StepMatcher.SNIPPET_CHARS).contains("timeout");
  }

  @Test
  void noStepsInTheSourceMeansNoMatchingSteps() throws Exception {
    assertThat(new StepMatcher("timeout").match(JSON.readTree("{\"summary\":\"x\"}"))).isEmpty();
  }
}
