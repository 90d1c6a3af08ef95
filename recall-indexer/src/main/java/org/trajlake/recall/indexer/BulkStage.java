package org.trajlake.recall.indexer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trajlake.recall.index.DocumentWriter;
import org.trajlake.recall.index.DocumentWriter.ItemResult;
import org.trajlake.recall.index.IndexNames;
import org.trajlake.recall.indexer.PendingBatch.Entry;

/**
 * Writes the decoded records of a batch to OpenSearch and moves each on by what became of its
 * documents ({@link WriteOutcome}): done, left for the next attempt, or to be dead-lettered.
 */
final class BulkStage {
  static final String INDEX_REJECTED = "index-rejected";
  private static final Logger LOG = LoggerFactory.getLogger(BulkStage.class);
  // Smaller requests than this are not worth a thread: their overhead outweighs the overlap.
  private static final int MIN_CHUNK = 50;

  /** Told of each bulk request that indexed records, for benchmarks. */
  interface BulkObserver {
    BulkObserver NONE = (records, nanos) -> {};

    /** {@code records} indexed by a bulk request that took {@code nanos} (embedding excluded). */
    void bulkWritten(int records, long nanos);
  }

  private final BatchWriter writer;
  private final int concurrency;
  private final Executor pool;
  private final LongSupplier embedNanos;
  private final IndexerMetrics metrics;
  private final IndexNames names;
  private final Clock clock;
  private final BulkObserver observer;

  /**
   * @param concurrency how many bulk requests a batch is split into at most, sent at once
   * @param pool runs all but the first of those requests (the caller's thread sends the first)
   * @param embedNanos the time the calling thread spent embedding so far, so that a write's
   *     embedding and its bulk request are timed apart ({@link DocumentWriter} does both)
   */
  BulkStage(BatchWriter writer, int concurrency, Executor pool, LongSupplier embedNanos, IndexerMetrics metrics,
      IndexNames names, Clock clock, BulkObserver observer) {
    this.writer = writer;
    this.concurrency = concurrency;
    this.pool = pool;
    this.embedNanos = embedNanos;
    this.metrics = metrics;
    this.names = names;
    this.clock = clock;
    this.observer = observer;
  }

  /**
   * Writes {@code entries}: split into up to {@code concurrency} bulk requests sent at once
   * (each embeds its own texts first, so one request's embedding overlaps another's indexing).
   * Returns true when a request failed as a whole for a passing reason.
   */
  boolean write(List<Entry> entries, List<String> failures) {
    if (entries.isEmpty()) {
      return false;
    }
    int chunks = Math.min(concurrency, Math.max(1, entries.size() / MIN_CHUNK));
    int size = (entries.size() + chunks - 1) / chunks;
    List<List<Entry>> parts = new ArrayList<>();
    for (int from = 0; from < entries.size(); from += size) {
      parts.add(entries.subList(from, Math.min(entries.size(), from + size)));
    }
    List<CompletableFuture<Sent>> others = new ArrayList<>();
    for (List<Entry> part : parts.subList(1, parts.size())) {
      others.add(CompletableFuture.supplyAsync(() -> send(part), pool));
    }
    boolean down = apply(parts.get(0), send(parts.get(0)), failures);
    for (int i = 0; i < others.size(); i++) {
      down |= apply(parts.get(i + 1), others.get(i).join(), failures);
    }
    return down;
  }

  /** One bulk request's answer, or why it failed; {@code nanos} excludes the embedding it did first. */
  private record Sent(DocumentWriter.Result result, Exception failure, long nanos, long embedding) {}

  private Sent send(List<Entry> entries) {
    long started = System.nanoTime();
    long embeddedBefore = embedNanos.getAsLong();
    try {
      DocumentWriter.Result result = writer.write(entries.stream().map(e -> e.trajectory).toList());
      long embedding = embedNanos.getAsLong() - embeddedBefore;
      return new Sent(result, null, System.nanoTime() - started - embedding, embedding);
    } catch (IOException | RuntimeException e) {
      return new Sent(null, e, 0, 0);
    }
  }

  /** Moves each record on according to its request's answer; true when the request failed as a whole for a passing reason. */
  private boolean apply(List<Entry> entries, Sent sent, List<String> failures) {
    if (sent.failure() != null) {
      Exception e = sent.failure();
      boolean passing = e instanceof IOException || e instanceof UncheckedIOException
          || e instanceof OpenSearchException refused && transientStatus(refused.status());
      if (passing) {
        failures.add("bulk request of " + entries.size() + " records failed: " + describe(e));
        return true;
      }
      return isolate(entries, e, failures);
    }
    metrics.bulk(sent.nanos());
    LOG.debug("{} records: embedding {} ms, bulk request {} ms", entries.size(), sent.embedding() / 1_000_000,
        sent.nanos() / 1_000_000);
    int written = 0;
    int busy = 0;
    long now = clock.millis();
    for (int i = 0; i < entries.size(); i++) {
      Entry entry = entries.get(i);
      List<ItemResult> items = sent.result().perTrajectory().get(i);
      WriteOutcome outcome = WriteOutcome.of(items);
      switch (outcome.verdict()) {
        case WRITTEN:
          count(items);
          if (entry.record.timestamp() >= 0) {
            metrics.endToEnd(now - entry.record.timestamp());
          }
          entry.done();
          written++;
          break;
        case RETRY:
          busy++;
          break;
        case REJECTED:
        default:
          count(items);
          entry.deadLetter(INDEX_REJECTED, outcome.detail());
          break;
      }
    }
    if (written > 0) {
      observer.bulkWritten(written, sent.nanos());
    }
    if (busy > 0) {
      failures.add(busy + " of " + entries.size() + " records had documents OpenSearch refused for now "
          + "(429, 5xx, an index block or a missing index)");
    }
    return false;
  }

  /**
   * A request refused for what it holds (400, a document the client cannot serialize, a text the
   * model cannot embed): one record is likely at fault. Each record is written alone, so only the
   * ones that fail alone go to the dead-letter topic.
   */
  private boolean isolate(List<Entry> entries, Exception failure, List<String> failures) {
    if (entries.size() == 1) {
      entries.get(0).deadLetter(INDEX_REJECTED, "the bulk request failed: " + describe(failure));
      return false;
    }
    for (Entry entry : entries) {
      if (apply(List.of(entry), send(List.of(entry)), failures)) {
        return true; // OpenSearch went away meanwhile: the rest waits for the next attempt.
      }
    }
    return false;
  }

  private void count(List<ItemResult> items) {
    for (int i = 0; i < items.size(); i++) {
      ItemResult item = items.get(i);
      if (item.ok()) {
        // The trajectory's document comes first, then its tool calls.
        metrics.indexed(i == 0 ? names.trajectories() : names.steps());
      } else if (item.staleVersion()) {
        metrics.stale();
      }
    }
  }

  /** Statuses of a whole request that say nothing about its documents: busy, down, or not allowed yet. */
  static boolean transientStatus(int status) {
    return status == 401 || status == 403 || status == 404 || status == 408 || status == 429 || status >= 500;
  }

  private static String describe(Exception e) {
    if (e instanceof OpenSearchException refused) {
      return "HTTP " + refused.status() + " " + refused.error().type() + ": " + refused.error().reason();
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
