package org.trajlake.sink.commit;

import java.time.Duration;
import java.util.Optional;

/**
 * Exponential backoff between attempts: {@code initial}, doubled per attempt, at most {@code max}.
 * While the loop waits one out, the failure it waits for is what the sink's {@code /health} reports:
 * the sink retries for as long as it takes, and meanwhile it is not writing.
 */
record RetryPolicy(Duration initial, Duration max, WaitingOut waitingOut, Runnable progress) {
  RetryPolicy(Duration initial, Duration max) {
    this(initial, max, () -> {});
  }

  /** @param progress told before and after each wait: waiting out a failure is not being stuck */
  RetryPolicy(Duration initial, Duration max, Runnable progress) {
    this(initial, max, new WaitingOut(), progress);
  }

  Duration delay(int attempt) {
    long millis = initial.toMillis() << Math.min(20, Math.max(0, attempt - 1));
    return Duration.ofMillis(Math.min(max.toMillis(), millis));
  }

  /** Waits {@code wait} before the next attempt, {@code failure} being why the last one failed. */
  void sleep(Duration wait, String failure) {
    waitingOut.failure = failure;
    progress.run();
    try {
      Thread.sleep(wait.toMillis());
      progress.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to commit again", e);
    }
  }

  /**
   * The failure the loop is waiting out, if any. Every retry loop runs on the sink's one loop
   * thread and returns only once its attempt succeeded, so the loop clears it when it polls again.
   */
  static final class WaitingOut {
    private volatile String failure;

    Optional<String> failure() {
      return Optional.ofNullable(failure);
    }

    void cleared() {
      if (failure != null) {
        failure = null;
      }
    }
  }
}
