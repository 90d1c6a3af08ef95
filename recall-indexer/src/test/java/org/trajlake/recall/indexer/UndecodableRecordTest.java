package org.trajlake.recall.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.trajlake.recall.Trajectories;
import org.trajlake.runtime.DeadLetter;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.TrajectoryStatus;
import org.trajlake.schema.registry.RegistryUnavailableException;

/** What the indexer does with records it cannot turn into documents. */
class UndecodableRecordTest {
  @Test
  void badRecordsGoToTheDeadLetterTopicWithTheirReasonAndTombstonesAreSkipped() throws Exception {
    try (LoopHarness harness = new LoopHarness()) {
      // Given garbage, a record keyed by another id, a record without a key and a tombstone around a good record
      Trajectory good = Trajectories.coding("good", "ws", "task", "{}", TrajectoryStatus.SUCCESS);
      byte[] goodBytes = harness.writerTopics.trajectories().valueSerde().serializer().serialize("t.trajectories", good);
      harness.poll(List.of(
          harness.record(harness.trajectories, "junk", "junk".getBytes(StandardCharsets.UTF_8)),
          harness.record(harness.trajectories, "other", goodBytes),
          harness.record(harness.trajectories, null, goodBytes),
          harness.record(harness.trajectories, "gone", null),
          harness.record(good)));

      // When the batch is processed
      harness.awaitCommitted(harness.trajectories, 5);

      // Then each bad record is dead-lettered with its reason, the tombstone counted, the good one written
      assertThat(harness.deadLetters()).extracting(r -> DeadLetter.from(r.headers()).orElseThrow().reason())
          .containsExactly("no-magic-byte", "key-mismatch", "missing-key");
      assertThat(harness.count("trajlake.indexer.tombstones", "topic", "t.trajectories")).isEqualTo(1);
      assertThat(harness.writer.requests).containsExactly(List.of("good"));
      assertThat(harness.count("trajlake.records.in", "topic", "t.trajectories")).isEqualTo(5);
    }
  }

  @Test
  void aRegistryOutageIsWaitedOutNotDeadLettered() throws Exception {
    try (LoopHarness harness = new LoopHarness()) {
      // Given a record whose schema the indexer has not seen yet, and the registry unreachable
      var record = harness.record(Trajectories.coding("a", "ws", "task", "{}", TrajectoryStatus.SUCCESS));
      harness.registry.breakWith(new RegistryUnavailableException("http://registry", 3, 503, "Service Unavailable", null));

      // When the record arrives, and the registry comes back after a few attempts
      harness.poll(List.of(record));
      await().atMost(LoopHarness.WAIT).until(() -> harness.count("trajlake.indexer.bulk.retries") >= 3);
      assertThat(harness.committed(harness.trajectories)).isEqualTo(-1);
      harness.registry.heal();

      // Then the record is indexed and committed, and nothing went to the dead-letter topic
      harness.awaitCommitted(harness.trajectories, 1);
      assertThat(harness.writer.requests).containsExactly(List.of("a"));
      assertThat(harness.deadLetters()).isEmpty();
    }
  }

  @Test
  void aBatchOfSeveralBulkRequestsIsDecodedByThemEachRecordWrittenOnce() throws Exception {
    try (LoopHarness harness = new LoopHarness(2)) {
      // Given one batch of 220 records, long enough for four bulk requests, with garbage in two of them
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      List<String> good = new ArrayList<>();
      for (int i = 0; i < 220; i++) {
        if (i == 10 || i == 150) {
          records.add(harness.record(harness.trajectories, "junk-" + i, "junk".getBytes(StandardCharsets.UTF_8)));
        } else {
          records.add(harness.record(Trajectories.coding("t" + i, "ws", "task", "{}", TrajectoryStatus.SUCCESS)));
          good.add("t" + i);
        }
      }
      harness.poll(records);

      // When the batch is processed
      harness.awaitCommitted(harness.trajectories, 220);

      // Then it went out as four requests (two at a time), every good record in exactly one of them and
      // each request's records in batch order, and both bad records were dead-lettered
      assertThat(harness.writer.requests).hasSize(4);
      assertThat(harness.writer.requests.stream().flatMap(List::stream).toList())
          .containsExactlyInAnyOrderElementsOf(good);
      harness.writer.requests.forEach(request -> assertThat(request)
          .isSortedAccordingTo(Comparator.comparingInt((String id) -> Integer.parseInt(id.substring(1)))));
      assertThat(harness.deadLetters()).extracting(r -> DeadLetter.from(r.headers()).orElseThrow().reason())
          .containsExactly("no-magic-byte", "no-magic-byte");
    }
  }

  @Test
  void aLargeBatchGoesOutAsRequestsOfAtMost125Records() throws Exception {
    try (LoopHarness harness = new LoopHarness(2)) {
      // Given one batch of 1,000 records
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        records.add(harness.record(Trajectories.coding("t" + i, "ws", "task", "{}", TrajectoryStatus.SUCCESS)));
      }
      harness.poll(records);

      // When it is processed
      harness.awaitCommitted(harness.trajectories, 1000);

      // Then it went out as eight requests of 125 rather than four of 250: larger ones indexed slower
      assertThat(harness.writer.requests).hasSize(8).allSatisfy(request -> assertThat(request).hasSize(125));
      assertThat(harness.writer.requests.stream().mapToInt(List::size).sum()).isEqualTo(1000);
    }
  }
}
