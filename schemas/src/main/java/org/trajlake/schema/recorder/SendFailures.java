package org.trajlake.schema.recorder;

import org.apache.kafka.common.KafkaException;

/**
 * Remembers sends that failed after the producer gave up, so an agent that never looks at the
 * returned futures still learns at {@code flush()} that steps were lost.
 */
final class SendFailures {
  private int count;
  private Exception first;

  synchronized void record(Exception failure) {
    if (count++ == 0) {
      first = failure;
    }
  }

  /** Throws when a send failed since the last call, and starts counting again. */
  synchronized void throwIfAny() {
    if (count == 0) {
      return;
    }
    KafkaException failure =
        new KafkaException(
            count
                + (count == 1 ? " trajectory event was" : " trajectory events were")
                + " not written; the first failure: "
                + first,
            first);
    count = 0;
    first = null;
    throw failure;
  }
}
