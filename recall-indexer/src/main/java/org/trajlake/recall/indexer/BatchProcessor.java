package org.trajlake.recall.indexer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.trajlake.recall.indexer.PendingBatch.Entry;
import org.trajlake.recall.indexer.PendingBatch.Stage;
import org.trajlake.runtime.DeadLetterProducer;
import org.trajlake.schema.serde.AvroSerdeException;

/**
 * Moves the records of a batch as far as they can go in one attempt: decode, write the documents,
 * dead-letter what cannot be indexed. What fails for a passing reason stays where it is for the
 * next attempt; the caller decides when that is.
 */
final class BatchProcessor {
  /**
   * How an attempt went.
   *
   * @param failure why some records are not done yet, or null when all are
   * @param openSearchDown a bulk request failed as a whole: OpenSearch unreachable or refusing everything
   */
  record Attempt(String failure, boolean openSearchDown) {}

  private final RecordDecoder decoder;
  private final BulkStage bulk;
  private final DeadLetterProducer deadLetters;
  private final IndexerMetrics metrics;

  BatchProcessor(RecordDecoder decoder, BulkStage bulk, DeadLetterProducer deadLetters, IndexerMetrics metrics) {
    this.decoder = decoder;
    this.bulk = bulk;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
  }

  Attempt attempt(PendingBatch batch) {
    List<String> failures = new ArrayList<>();
    // Each bulk request decodes its own share of the batch, on the bulk threads (see BulkStage).
    boolean down = bulk.write(batch.at(Stage.DECODE, Stage.WRITE), this::decode, failures);
    deadLetter(batch.at(Stage.DEAD_LETTER), failures);
    return new Attempt(failures.isEmpty() ? null : String.join("; ", failures.stream().distinct().toList()), down);
  }

  /** Decodes the records of {@code entries} not decoded yet; returns why some could not be, or null. */
  private String decode(List<Entry> entries) {
    for (Entry entry : entries) {
      if (entry.stage != Stage.DECODE) {
        continue;
      }
      RecordDecoder.Decoded decoded;
      try {
        decoded = decoder.decode(entry.record);
      } catch (AvroSerdeException e) {
        // The registry, not the record: every other record would wait for it the same way.
        return "cannot decode " + entry.record.topic() + ": " + e.getMessage();
      }
      if (decoded instanceof RecordDecoder.Decoded.Index index) {
        entry.write(index.trajectory());
      } else if (decoded instanceof RecordDecoder.Decoded.Reject reject) {
        entry.deadLetter(reject.reason(), reject.detail());
      } else {
        metrics.tombstone(entry.record.topic());
        entry.done();
      }
    }
    return null;
  }

  private void deadLetter(List<Entry> entries, List<String> failures) {
    if (entries.isEmpty()) {
      return;
    }
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    RuntimeException sendFailure = null;
    for (Entry entry : entries) {
      try {
        sent.add(deadLetters.send(entry.record, entry.reason, entry.detail));
      } catch (RuntimeException e) {
        sendFailure = e;
        break;
      }
    }
    deadLetters.flush();
    for (int i = 0; i < sent.size(); i++) {
      Entry entry = entries.get(i);
      try {
        sent.get(i).get();
        metrics.deadLettered(entry.reason);
        entry.done();
      } catch (ExecutionException e) {
        sendFailure = new IllegalStateException(e.getCause().toString(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        sendFailure = new IllegalStateException("interrupted", e);
        break;
      }
    }
    if (sendFailure != null) {
      failures.add("cannot write to the dead-letter topic: " + sendFailure.getMessage());
    }
  }

}
