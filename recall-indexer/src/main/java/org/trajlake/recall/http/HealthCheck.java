package org.trajlake.recall.http;

/** What {@code GET /health} asks: OpenSearch answers and the indexes exist, built with the configured model. */
@FunctionalInterface
public interface HealthCheck {
  /**
   * Returns when healthy.
   *
   * @throws RuntimeException whose message says what is wrong
   */
  void verify();
}
