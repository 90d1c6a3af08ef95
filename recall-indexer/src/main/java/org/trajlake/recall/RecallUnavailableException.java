package org.trajlake.recall;

/**
 * OpenSearch did not answer a recall in time, or failed it: nothing is wrong with the request,
 * and the same request may succeed later.
 */
public final class RecallUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean timedOut;

  public RecallUnavailableException(String message, boolean timedOut, Throwable cause) {
    super(message, cause);
    this.timedOut = timedOut;
  }

  /** True when the answer did not come within {@code recall.timeout.ms}. */
  public boolean timedOut() {
    return timedOut;
  }
}
