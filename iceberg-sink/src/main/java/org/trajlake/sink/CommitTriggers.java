package org.trajlake.sink;

import java.time.Duration;

/**
 * When a batch is committed: after {@code interval} since its first record, or once it holds
 * {@code maxRecords} records or {@code maxBytes} bytes of record values, whichever comes first.
 */
public record CommitTriggers(Duration interval, int maxRecords, long maxBytes) {
  /** Whether a batch that started at {@code startedNanos} (or is empty, -1) is due at {@code nowNanos}. */
  public boolean due(long records, long bytes, long startedNanos, long nowNanos) {
    if (records == 0) {
      return false;
    }
    return records >= maxRecords || bytes >= maxBytes || nowNanos - startedNanos >= interval.toNanos();
  }
}
