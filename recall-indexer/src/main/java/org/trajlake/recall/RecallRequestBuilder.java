package org.trajlake.recall;

/**
 * What the builders of both request kinds share: the workspace and query they start from, and the
 * vector, filters, k and mode a caller may set. Unset, there is no vector and no filter, k is 10 and
 * the mode hybrid.
 *
 * @param <B> the builder itself, so that the setters chain
 * @param <R> the request it builds
 */
abstract class RecallRequestBuilder<B extends RecallRequestBuilder<B, R>, R> {
  final String workspace;
  final String query;
  float[] vector;
  RecallFilters filters;
  int k = RecallRequest.DEFAULT_K;
  RecallMode mode = RecallMode.HYBRID;

  RecallRequestBuilder(String workspace, String query) {
    this.workspace = workspace;
    this.query = query;
  }

  public B vector(float[] vector) {
    this.vector = vector;
    return self();
  }

  public B filters(RecallFilters filters) {
    this.filters = filters;
    return self();
  }

  public B k(int k) {
    this.k = k;
    return self();
  }

  public B mode(RecallMode mode) {
    this.mode = mode;
    return self();
  }

  /** @throws InvalidRequestException naming the field at fault */
  public abstract R build();

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }
}
