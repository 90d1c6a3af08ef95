package org.trajlake.recall.indexer;

import java.util.List;
import java.util.stream.Collectors;
import org.trajlake.recall.index.DocumentWriter.ItemResult;

/**
 * What a bulk request did with one record's documents (its trajectory and its tool calls), and so
 * what becomes of the record.
 *
 * <ul>
 *   <li>{@link Verdict#WRITTEN}: every document indexed, or refused as an older or equal version
 *       (409): the index already holds this version or a newer one, which is the goal.
 *   <li>{@link Verdict#RETRY}: some document was refused for a reason that passes: 429 or 5xx (busy,
 *       a shard not ready), 403 (an index block, for example read-only while the disk is full), 404
 *       (the index behind the alias is missing). The record is written again after a backoff.
 *   <li>{@link Verdict#REJECTED}: some document was refused for what it holds (400: a mapping
 *       conflict, a vector the space type cannot take). Writing it again would fail again, so the
 *       record goes to the dead-letter topic; a retry of the others does not wait for it.
 * </ul>
 *
 * @param verdict what happens to the record
 * @param detail for a rejection, which documents were refused and OpenSearch's error type and reason
 */
record WriteOutcome(Verdict verdict, String detail) {
  enum Verdict {
    WRITTEN,
    RETRY,
    REJECTED
  }

  static WriteOutcome of(List<ItemResult> items) {
    List<ItemResult> rejected = items.stream().filter(WriteOutcome::rejected).toList();
    if (!rejected.isEmpty()) {
      return new WriteOutcome(Verdict.REJECTED, rejected.stream()
          .map(item -> item.index() + "/" + item.id() + " (HTTP " + item.status() + "): " + item.errorType() + ": "
              + item.errorReason())
          .collect(Collectors.joining("; ")));
    }
    return items.stream().anyMatch(WriteOutcome::transientFailure)
        ? new WriteOutcome(Verdict.RETRY, "")
        : new WriteOutcome(Verdict.WRITTEN, "");
  }

  private static boolean transientFailure(ItemResult item) {
    return item.retriable() || item.status() == 403 || item.status() == 404;
  }

  private static boolean rejected(ItemResult item) {
    return !item.ok() && !item.staleVersion() && !transientFailure(item);
  }
}
