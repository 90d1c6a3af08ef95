package org.trajlake.recall.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.util.List;
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
}
