package org.trajlake.recall.indexer;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trajlake.runtime.LoopWatch;

/**
 * The indexer's loop, on one thread: poll a batch, drive it to completion, commit, poll again.
 *
 * <p>Delivery is at least once. A batch's offsets are committed only when every one of its records
 * is indexed (or older than what is indexed), dead-lettered, or a tombstone. When OpenSearch cannot
 * take the batch, consumption is paused (the loop keeps polling, so the group membership survives)
 * and the same batch is tried again after a backoff that grows to {@code indexer.retry.max.ms},
 * for as long as it takes; nothing is dropped. A record indexed twice is harmless: documents carry
 * external versions, so the index converges to the latest version whatever the order.
 *
 * <p>On a rebalance, the records of revoked partitions that are done are committed and the rest
 * forgotten: the partition's next owner reads them again.
 */
final class RecallIndexer implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(RecallIndexer.class);
  // While paused, a poll wakes at least this often to check whether the indexer is closing.
  private static final Duration IDLE_POLL = Duration.ofMillis(500);
  // Failed attempts before partial refusals (some documents busy) count as failing; a whole-request failure counts at once.
  private static final int FAILING_AFTER_ATTEMPTS = 3;

  private final Consumer<byte[], byte[]> consumer;
  private final List<String> topics;
  private final BatchProcessor processor;
  private final IndexerMetrics metrics;
  private final Backoff backoff;
  private final Duration pollTimeout;
  private final LoopWatch watch;

  private volatile boolean running = true;
  private volatile boolean failing;
  private volatile boolean crashed;
  // Why the last attempt at a batch failed, or why the loop stopped; null after a batch is written.
  private volatile String problem;
  // Touched by the loop thread only (the rebalance listener runs inside poll, on that thread).
  private PendingBatch batch;
  private boolean paused;

  RecallIndexer(Consumer<byte[], byte[]> consumer, List<String> topics, BatchProcessor processor, IndexerMetrics metrics,
      Backoff backoff, Duration pollTimeout, LoopWatch watch) {
    this.consumer = consumer;
    this.topics = List.copyOf(topics);
    this.processor = processor;
    this.metrics = metrics;
    this.backoff = backoff;
    this.pollTimeout = pollTimeout;
    this.watch = watch;
    metrics.failing(() -> failing);
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(topics, new Rebalance());
      while (running) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout);
        watch.beat();
        if (records.isEmpty()) {
          continue;
        }
        records.forEach(record -> metrics.in(record.topic()));
        batch = new PendingBatch(records);
        complete(batch);
        commit(batch.committable());
        batch = null;
      }
    } catch (WakeupException e) {
      if (running) {
        crash(e);
      }
    } catch (RuntimeException e) {
      crash(e);
    } finally {
      try {
        if (batch != null) {
          commit(batch.committable()); // what is done of an unfinished batch
        }
      } catch (RuntimeException e) {
        LOG.warn("recall-indexer: could not commit on the way out ({}); those records will be indexed again", e.toString());
      } finally {
        consumer.close();
      }
    }
  }

  /** Running, not crashed, not waiting for OpenSearch to take a batch, and not stuck. */
  boolean healthy() {
    return running && !crashed && !failing && watch.stall().isEmpty();
  }

  /**
   * Why the indexer is not healthy, when it knows: a loop stuck for longer than allowed, the last
   * failed attempt's reason, or the crash.
   */
  Optional<String> problem() {
    if (healthy()) {
      return Optional.empty();
    }
    Optional<String> stall = running && !crashed ? watch.stall() : Optional.empty();
    return stall.isPresent() ? stall : Optional.ofNullable(problem);
  }

  /** Stops the loop: a poll or backoff in progress returns at once; a bulk request in flight finishes first. */
  void close() {
    running = false;
    consumer.wakeup();
  }

  /** Attempts {@code batch} until all of it is done, pausing consumption between failed attempts. */
  private void complete(PendingBatch batch) {
    for (int attempt = 0; ; attempt++) {
      BatchProcessor.Attempt result = processor.attempt(batch);
      if (batch.complete()) {
        if (attempt > 0) {
          LOG.info("recall-indexer: batch written after {} retries; resuming consumption", attempt);
        }
        failing = false;
        problem = null;
        resume();
        return;
      }
      if (!running) {
        return;
      }
      problem = "records not indexed: " + result.failure();
      failing = result.openSearchDown() || attempt + 1 >= FAILING_AFTER_ATTEMPTS;
      Duration delay = backoff.delay(attempt);
      LOG.warn("recall-indexer: {} of {} records not done ({}); consumption paused, attempt {} in {} ms",
          batch.size() - batch.at(PendingBatch.Stage.DONE).size(), batch.size(), result.failure(), attempt + 2,
          delay.toMillis());
      metrics.retry();
      pause();
      idle(delay);
    }
  }

  /** Polls paused partitions for {@code delay}: the group sees a live member, no record comes back. */
  private void idle(Duration delay) {
    long end = System.nanoTime() + delay.toNanos();
    for (long left = delay.toNanos(); running && left > 0; left = end - System.nanoTime()) {
      consumer.pause(consumer.assignment());
      ConsumerRecords<byte[], byte[]> unexpected = consumer.poll(Duration.ofNanos(Math.min(left, IDLE_POLL.toNanos())));
      watch.beat(); // waiting out a backoff is not being stuck
      // Paused partitions return nothing; should records slip through, rewind so they come again later.
      for (TopicPartition partition : unexpected.partitions()) {
        consumer.seek(partition, unexpected.records(partition).get(0).offset());
      }
    }
  }

  private void pause() {
    consumer.pause(consumer.assignment());
    paused = true;
  }

  private void resume() {
    if (paused) {
      Set<TopicPartition> resumable = new HashSet<>(consumer.paused());
      resumable.retainAll(consumer.assignment()); // a partition revoked meanwhile is not ours to resume
      consumer.resume(resumable);
      paused = false;
    }
  }

  private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (offsets.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(offsets);
    } catch (CommitFailedException | RetriableException e) {
      // The partitions moved on meanwhile, or the coordinator is out of reach: these records will be
      // indexed again (by this instance after a restart, or by the partitions' new owner), harmlessly.
      LOG.warn("recall-indexer: commit of {} failed ({}); the records will be indexed again", offsets.keySet(), e.toString());
    }
  }

  private void crash(RuntimeException e) {
    problem = "the indexing loop stopped: " + e;
    crashed = true;
    LOG.error("recall-indexer: the indexing loop stopped; nothing after the last commit is lost, a restart resumes there", e);
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (batch != null) {
        commit(batch.committable(partitions));
        batch.drop(partitions);
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      if (batch != null) {
        batch.drop(partitions); // owned by another member already: committing would fail
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (paused) {
        consumer.pause(partitions); // a batch is still being retried: take nothing new yet
      }
    }
  }
}
