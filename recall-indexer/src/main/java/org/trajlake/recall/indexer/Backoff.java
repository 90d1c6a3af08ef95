package org.trajlake.recall.indexer;

import java.time.Duration;

/**
 * How long to wait before the next attempt at a batch: {@code initial}, doubled on each failed
 * attempt, never more than {@code max}. There is no last attempt: a batch is never dropped, the
 * indexer waits for OpenSearch as long as it takes, consumption paused meanwhile.
 */
record Backoff(Duration initial, Duration max) {
  Backoff {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= max, was " + initial + " and " + max);
    }
  }

  /** The wait after failed attempt number {@code attempt} (0 for the first failure). */
  Duration delay(int attempt) {
    long initialMs = initial.toMillis();
    // Past 2^30 the product overflows long long before it matters: the cap applies anyway.
    int doublings = Math.min(Math.max(attempt, 0), 30);
    long delayMs = initialMs << doublings;
    return delayMs <= 0 || delayMs > max.toMillis() ? max : Duration.ofMillis(delayMs);
  }
}
