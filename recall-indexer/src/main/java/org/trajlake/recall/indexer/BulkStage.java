package org.trajlake.recall.indexer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trajlake.recall.index.AccessRefusal;
import org.trajlake.recall.index.DocumentWriter;
import org.trajlake.recall.index.DocumentWriter.ItemResult;
import org.trajlake.recall.index.IndexNames;
import org.trajlake.recall.index.OpenSearchSettings;
import org.trajlake.recall.indexer.PendingBatch.Entry;
import org.trajlake.recall.indexer.PendingBatch.Stage;

/**
 * Writes the decoded records of a batch to OpenSearch and moves each on by what became of its
 * documents ({@link WriteOutcome}): done, left for the next attempt, or to be dead-lettered.
 */
final class BulkStage {
  static final String INDEX_REJECTED = "index-rejected";
  private static final Logger LOG = LoggerFactory.getLogger(BulkStage.class);
  // Smaller requests than this are not worth a thread: their overhead outweighs the overlap.
  private static final int MIN_CHUNK = 50;
  // Measured with bench indexing (agent vectors, 2,000-record batches): requests of 50 records
  // indexed 1,470-1,495 trajectories/s, of 125 records 1,858-2,015, of 250 records 1,707-1,874.
  private static final int MAX_CHUNK = 125;

  /** Told of each bulk request that indexed records, for benchmarks. */
  interface BulkObserver {
    BulkObserver NONE = (records, nanos, endedAt) -> {};

    /**
     * {@code records} indexed by a bulk request that took {@code nanos} (embedding excluded) and
     * returned at {@code endedAt} ({@link System#nanoTime()}): a batch's requests are reported
     * together once all have returned, but each at its own time.
     */
    void bulkWritten(int records, long nanos, long endedAt);
  }

  /** Readies a part's records for writing: decodes those not decoded yet. */
  interface Preparation {
    /** Moves on the records of {@code part} that need it; returns why some could not be, or null. */
    String prepare(List<Entry> part);
  }

  private final BatchWriter writer;
  private final int concurrency;
  private final Executor pool;
  private final LongSupplier embedNanos;
  private final IndexerMetrics metrics;
  private final IndexNames names;
  private final Clock clock;
  private final BulkObserver observer;
  private final Runnable progress;

  /**
   * @param concurrency how many bulk requests are in flight at most
   * @param pool runs the requests, with at least {@code concurrency} threads
   * @param embedNanos the time the calling thread spent embedding so far, so that a write's
   *     embedding and its bulk request are timed apart ({@link DocumentWriter} does both)
   * @param progress told whenever a bulk request finishes, answered or failed: the loop waits on
   *     them, so this is how its watch knows it still moves
   */
  BulkStage(BatchWriter writer, int concurrency, Executor pool, LongSupplier embedNanos, IndexerMetrics metrics,
      IndexNames names, Clock clock, BulkObserver observer, Runnable progress) {
    this.writer = writer;
    this.concurrency = concurrency;
    this.pool = pool;
    this.embedNanos = embedNanos;
    this.metrics = metrics;
    this.names = names;
    this.clock = clock;
    this.observer = observer;
    this.progress = progress;
  }

  /**
   * Decodes and writes {@code entries} as bulk requests of {@value #MIN_CHUNK} to {@value #MAX_CHUNK}
   * records, at least {@code 2 x concurrency} of them where there are enough records, with at most
   * {@code concurrency} in flight. Each request
   * decodes, builds (and embeds) its own documents first, and the next one starts as soon as one
   * returns, so the indexer readies one request while OpenSearch indexes another. When the loop's
   * thread decoded the whole batch first (a sixth of the run's time in a profile of {@code bench
   * indexing}), OpenSearch waited meanwhile. Returns true when a request failed as a whole for a
   * passing reason.
   */
  boolean write(List<Entry> entries, Preparation preparation, List<String> failures) {
    if (entries.isEmpty()) {
      return false;
    }
    Semaphore inFlight = new Semaphore(concurrency);
    List<CompletableFuture<Sent>> sent = new ArrayList<>();
    for (List<Entry> part : parts(entries)) {
      inFlight.acquireUninterruptibly();
      sent.add(CompletableFuture.supplyAsync(() -> prepareAndSend(part, preparation), pool)
          .whenComplete((done, error) -> {
            inFlight.release();
            progress.run();
          }));
    }
    boolean down = false;
    for (CompletableFuture<Sent> request : sent) {
      Sent answer = request.join();
      if (answer.preparationFailure() != null) {
        failures.add(answer.preparationFailure());
      }
      down |= apply(answer, failures);
    }
    return down;
  }

  private List<List<Entry>> parts(List<Entry> entries) {
    int count = Math.max(Math.min(2 * concurrency, Math.max(1, entries.size() / MIN_CHUNK)),
        (entries.size() + MAX_CHUNK - 1) / MAX_CHUNK);
    int size = (entries.size() + count - 1) / count;
    List<List<Entry>> parts = new ArrayList<>();
    for (int from = 0; from < entries.size(); from += size) {
      parts.add(entries.subList(from, Math.min(entries.size(), from + size)));
    }
    return parts;
  }

  /**
   * One bulk request's records and answer, or why it failed; {@code nanos} excludes the embedding it
   * did first, {@code endedAt} is when the answer came.
   */
  private record Sent(List<Entry> entries, DocumentWriter.Result result, Exception failure, long nanos, long embedding,
      long endedAt, String preparationFailure) {
    Sent preparedWith(String failure) {
      return new Sent(entries, result, this.failure, nanos, embedding, endedAt, failure);
    }
  }

  private Sent prepareAndSend(List<Entry> part, Preparation preparation) {
    String failure = preparation.prepare(part);
    return send(part.stream().filter(entry -> entry.stage == Stage.WRITE).toList()).preparedWith(failure);
  }

  private Sent send(List<Entry> entries) {
    if (entries.isEmpty()) {
      return new Sent(entries, new DocumentWriter.Result(List.of()), null, 0, 0, System.nanoTime(), null);
    }
    long started = System.nanoTime();
    long embeddedBefore = embedNanos.getAsLong();
    try {
      DocumentWriter.Result result = writer.write(entries.stream().map(e -> e.trajectory).toList());
      long embedding = embedNanos.getAsLong() - embeddedBefore;
      long ended = System.nanoTime();
      return new Sent(entries, result, null, ended - started - embedding, embedding, ended, null);
    } catch (IOException | RuntimeException e) {
      return new Sent(entries, null, e, 0, 0, System.nanoTime(), null);
    }
  }

  /** Moves each record on according to its request's answer; true when the request failed as a whole for a passing reason. */
  private boolean apply(Sent sent, List<String> failures) {
    List<Entry> entries = sent.entries();
    if (entries.isEmpty()) {
      return false;
    }
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
      observer.bulkWritten(written, sent.nanos(), sent.endedAt());
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
      if (apply(send(List.of(entry)), failures)) {
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
      // A 401 here is credentials rotated under a running indexer: say which keys, as at start.
      return "HTTP " + refused.status() + " " + refused.error().type() + ": " + refused.error().reason()
          + AccessRefusal.hint(refused);
    }
    if (e instanceof SocketTimeoutException) {
      return "OpenSearch did not answer within " + OpenSearchSettings.TIMEOUT_MS + " (" + e.getMessage() + ")";
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
