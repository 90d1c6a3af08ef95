package org.trajlake.recall.indexer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PendingBatchTest {
  private static final TopicPartition P0 = new TopicPartition("t", 0);
  private static final TopicPartition P1 = new TopicPartition("t", 1);

  @Test
  void anOffsetIsCommittableOnlyPastRecordsThatAreAllDone() {
    // Given a batch where, on partition 0, the record at offset 11 is not on the dead-letter topic yet
    PendingBatch batch = batch();
    List<PendingBatch.Entry> entries = batch.at(PendingBatch.Stage.DECODE);
    entries.forEach(PendingBatch.Entry::done);
    entries.stream().filter(e -> e.record.offset() == 11).forEach(e -> e.deadLetter("index-rejected", "not sent yet"));

    // When the committable offsets are asked for
    Map<TopicPartition, OffsetAndMetadata> offsets = batch.committable();

    // Then partition 0 stops before it, though offset 12 is done; partition 1 commits past its last record
    assertThat(offsets).containsExactlyInAnyOrderEntriesOf(Map.of(P0, new OffsetAndMetadata(11), P1, new OffsetAndMetadata(6)));
    assertThat(batch.complete()).isFalse();
  }

  @Test
  void aDroppedPartitionNoLongerHoldsTheBatchBack() {
    // Given a batch whose partition 0 is not done
    PendingBatch batch = batch();
    batch.at(PendingBatch.Stage.DECODE).stream().filter(e -> e.record.partition() == 1).forEach(PendingBatch.Entry::done);

    // When partition 0 is revoked
    batch.drop(List.of(P0));

    // Then the batch is complete and commits partition 1 only
    assertThat(batch.complete()).isTrue();
    assertThat(batch.committable()).containsOnlyKeys(P1);
  }

  private static PendingBatch batch() {
    ConsumerRecord<byte[], byte[]> a = new ConsumerRecord<>("t", 0, 10, null, new byte[0]);
    ConsumerRecord<byte[], byte[]> b = new ConsumerRecord<>("t", 0, 11, null, new byte[0]);
    ConsumerRecord<byte[], byte[]> c = new ConsumerRecord<>("t", 0, 12, null, new byte[0]);
    ConsumerRecord<byte[], byte[]> d = new ConsumerRecord<>("t", 1, 5, null, new byte[0]);
    return new PendingBatch(new ConsumerRecords<>(Map.of(P0, List.of(a, b, c), P1, List.of(d)), Map.of()));
  }
}
