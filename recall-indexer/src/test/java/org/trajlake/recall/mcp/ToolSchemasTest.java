package org.trajlake.recall.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.trajlake.recall.RecallFilters;

class ToolSchemasTest {
  @Test
  void eachToolOffersExactlyTheFiltersItsRecallTakes() {
    // When the input schemas of the two tools are read
    Set<String> trajectoryFilters = filterNames(ToolSchemas.trajectoriesInput());
    Set<String> toolCallFilters = filterNames(ToolSchemas.toolCallsInput());

    // Then each offers the filters its request accepts, no more (it would be refused) and no fewer
    assertThat(trajectoryFilters).isEqualTo(RecallFilters.TRAJECTORY_FILTERS);
    assertThat(toolCallFilters).isEqualTo(RecallFilters.TOOL_CALL_FILTERS);
  }

  @SuppressWarnings("unchecked")
  private static Set<String> filterNames(Map<String, Object> input) {
    Map<String, Object> properties = (Map<String, Object>) input.get("properties");
    Map<String, Object> filters = (Map<String, Object>) properties.get("filters");
    return ((Map<String, Object>) filters.get("properties")).keySet();
  }
}
