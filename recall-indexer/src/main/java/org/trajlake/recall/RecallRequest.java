package org.trajlake.recall;

/**
 * A recall of earlier trajectories: the workspace whose memory is read, what to look for, and
 * filters that every result must pass ({@link RecallFilters}, those in
 * {@link RecallFilters#TRAJECTORY_FILTERS}). Valid by construction: the constructor throws
 * {@link InvalidRequestException} naming the field at fault.
 *
 * @param workspace the workspace to read (and, when configured, its parents)
 * @param query the text to look for; embedded for the vector leg unless {@code vector} is given
 * @param vector the query vector, or null to embed {@code query} with the index's model
 * @param filters what every trajectory returned must pass; null for none
 * @param k how many trajectories to return, 1 to 100
 * @param mode how to rank
 */
public record RecallRequest(String workspace, String query, float[] vector, RecallFilters filters, int k,
    RecallMode mode) implements AnyRecallRequest {
  public static final int DEFAULT_K = 10;

  public RecallRequest {
    workspace = Checks.workspace(workspace);
    mode = mode == null ? RecallMode.HYBRID : mode;
    vector = Checks.vector(vector);
    query = Checks.query(query, mode, vector);
    filters = Checks.filters(filters, RecallFilters.TRAJECTORY_FILTERS);
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
  public static final class Builder extends RecallRequestBuilder<Builder, RecallRequest> {
    private Builder(String workspace, String query) {
      super(workspace, query);
    }

    @Override
    public RecallRequest build() {
      return new RecallRequest(workspace, query, vector, filters, k, mode);
    }
  }
}
