package org.trajlake.recall.indexer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trajlake.recall.Trajectories;
import org.trajlake.schema.TrajectoryStatus;

/** Documents OpenSearch refuses for now (429) are written again, alone; the batch commits once they are in. */
class BusyDocumentTest {
  @Test
  void onlyTheRecordsWithRefusedDocumentsAreWrittenAgain() throws Exception {
    try (LoopHarness harness = new LoopHarness()) {
      // Given OpenSearch too busy for b's document once
      harness.writer.then(trajectories -> LoopHarness.FakeWriter.withStatus(trajectories, Map.of("b", 429),
          "es_rejected_execution_exception", "rejected execution"));

      // When a batch of three arrives
      harness.poll(List.of(
          harness.record(Trajectories.coding("a", "ws", "task a", "{}", TrajectoryStatus.SUCCESS)),
          harness.record(Trajectories.coding("b", "ws", "task b", "{}", TrajectoryStatus.SUCCESS)),
          harness.record(Trajectories.coding("c", "ws", "task c", "{}", TrajectoryStatus.SUCCESS))));

      // Then b alone is written again, the batch is committed, and nothing is dead-lettered
      harness.awaitCommitted(harness.trajectories, 3);
      assertThat(harness.writer.requests).containsExactly(List.of("a", "b", "c"), List.of("b"));
      assertThat(harness.deadLetters()).isEmpty();
      assertThat(harness.count("trajlake.indexer.bulk.retries")).isEqualTo(1);
    }
  }
}
