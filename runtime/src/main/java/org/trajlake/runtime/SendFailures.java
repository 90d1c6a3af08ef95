package org.trajlake.runtime;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A producer callback for sending a backlog: counts the sends that failed and keeps the first
 * failure, so that after {@code flush()} one {@link #check} tells whether every record was written.
 * Waiting on the last send's future only says that the last one was: a batch that expired earlier
 * (seen once on a just-created topic) is silently missing, and a consumer waiting for it waits forever.
 */
public final class SendFailures implements Callback {
  private final AtomicLong failed = new AtomicLong();
  private final AtomicReference<Exception> first = new AtomicReference<>();

  @Override
  public void onCompletion(RecordMetadata metadata, Exception exception) {
    if (exception != null) {
      failed.incrementAndGet();
      first.compareAndSet(null, exception);
    }
  }

  /**
   * @param what the backlog, for the message
   * @throws IllegalStateException naming how many records were not written and the first cause
   */
  public void check(String what) {
    Exception cause = first.get();
    if (cause != null) {
      throw new IllegalStateException(failed.get() + " records of " + what + " were not written: " + cause, cause);
    }
  }
}
