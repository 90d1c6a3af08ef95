package org.trajlake.sink.commit;

import java.time.Duration;

/** Exponential backoff between attempts: {@code initial}, doubled per attempt, at most {@code max}. */
record RetryPolicy(Duration initial, Duration max) {
  Duration delay(int attempt) {
    long millis = initial.toMillis() << Math.min(20, Math.max(0, attempt - 1));
    return Duration.ofMillis(Math.min(max.toMillis(), millis));
  }

  void sleep(Duration wait) {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to commit again", e);
    }
  }
}
