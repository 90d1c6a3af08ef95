package org.trajlake.recall;

/**
 * A recall of earlier tool calls (each with its result): what happened the last times a tool was
 * called with similar arguments. It takes the filters in {@link RecallFilters#TOOL_CALL_FILTERS}.
 * Valid by construction, like {@link RecallRequest}.
 *
 * @param workspace the workspace to read (and, when configured, its parents)
 * @param query the text to look for in tool arguments and outputs
 * @param vector the query vector, or null to embed {@code query}
 * @param filters what every call returned must pass; null for none
 * @param k how many calls to return, 1 to 100
 * @param mode how to rank
 */
public record StepRecallRequest(String workspace, String query, float[] vector, RecallFilters filters, int k,
    RecallMode mode) implements AnyRecallRequest {

  public StepRecallRequest {
    workspace = Checks.workspace(workspace);
    mode = mode == null ? RecallMode.HYBRID : mode;
    vector = Checks.vector(vector);
    query = Checks.query(query, mode, vector);
    filters = Checks.filters(filters, RecallFilters.TOOL_CALL_FILTERS);
    k = Checks.k(k);
  }

  public static Builder builder(String workspace, String query) {
    return new Builder(workspace, query);
  }

  @Override
  public float[] vector() {
    return vector == null ? null : vector.clone();
  }

  /** Builds a request; unset filters are off, k is 10 and the mode hybrid. */
  public static final class Builder extends RecallRequestBuilder<Builder, StepRecallRequest> {
    private Builder(String workspace, String query) {
      super(workspace, query);
    }

    @Override
    public StepRecallRequest build() {
      return new StepRecallRequest(workspace, query, vector, filters, k, mode);
    }
  }
}
