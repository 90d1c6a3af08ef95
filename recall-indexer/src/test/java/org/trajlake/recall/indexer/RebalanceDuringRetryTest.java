package org.trajlake.recall.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trajlake.recall.Trajectories;
import org.trajlake.schema.TrajectoryStatus;

/**
 * Partitions taken away while a batch waits for OpenSearch: what is written of them is committed,
 * the rest is left to their next owner, and the batch no longer waits for it.
 */
class RebalanceDuringRetryTest {
  @Test
  void aRevokedPartitionCommitsItsWrittenPrefixAndHandsTheRestOver() throws Exception {
    try (LoopHarness harness = new LoopHarness()) {
      // Given OpenSearch too busy for the trajectory at offset 1 whatever happens
      for (int i = 0; i < 1000; i++) {
        harness.writer.then(trajectories -> LoopHarness.FakeWriter.withStatus(trajectories, Map.of("b", 429), "busy", "busy"));
      }
      harness.poll(List.of(
          harness.record(Trajectories.coding("a", "ws", "task a", "{}", TrajectoryStatus.SUCCESS)),
          harness.record(Trajectories.coding("b", "ws", "task b", "{}", TrajectoryStatus.SUCCESS)),
          harness.record(Trajectories.coding("c", "ws", "task c", "{}", TrajectoryStatus.SUCCESS))));
      await().atMost(LoopHarness.WAIT).until(() -> harness.count("trajlake.indexer.bulk.retries") >= 2);

      // When the group takes the trajectories partition away
      harness.consumer.schedulePollTask(() -> harness.consumer.rebalance(List.of(harness.rewarded)));

      // Then a (done) is committed, b and c are left to the next owner, and the loop goes on healthy
      harness.awaitCommitted(harness.trajectories, 1);
      await().atMost(LoopHarness.WAIT).until(harness.loop::healthy);
      assertThat(harness.consumer.paused()).doesNotContain(harness.rewarded); // (MockConsumer keeps revoked ones listed)
      assertThat(harness.deadLetters()).isEmpty();
    }
  }
}
