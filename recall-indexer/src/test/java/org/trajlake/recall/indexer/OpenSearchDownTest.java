package org.trajlake.recall.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.trajlake.recall.Trajectories;
import org.trajlake.schema.TrajectoryStatus;

/** A bulk request that fails as a whole (OpenSearch unreachable): the batch waits, paused, and nothing is committed. */
class OpenSearchDownTest {
  @Test
  void aBatchIsRetriedUntilOpenSearchTakesItAndOnlyThenCommitted() throws Exception {
    try (LoopHarness harness = new LoopHarness()) {
      // Given OpenSearch refusing connections for the first three attempts
      for (int i = 0; i < 3; i++) {
        harness.writer.then(trajectories -> {
          throw new ConnectException("Connection refused");
        });
      }
      AtomicReference<String> whileRetrying = new AtomicReference<>();
      harness.writer.then(trajectories -> {
        whileRetrying.set("paused " + harness.consumer.paused().size() + ", healthy " + harness.loop.healthy()
            + ", committed " + harness.committed(harness.trajectories));
        return LoopHarness.FakeWriter.created(trajectories);
      });

      // When a batch of two trajectories arrives
      harness.poll(List.of(
          harness.record(Trajectories.coding("a", "ws", "task a", "{}", TrajectoryStatus.SUCCESS)),
          harness.record(Trajectories.coding("b", "ws", "task b", "{}", TrajectoryStatus.SUCCESS))));

      // Then the same batch is written four times, committed after the fourth, and consumption resumes
      harness.awaitCommitted(harness.trajectories, 2);
      assertThat(whileRetrying.get()).isEqualTo("paused 2, healthy false, committed -1");
      assertThat(harness.writer.requests).hasSize(4).allSatisfy(ids -> assertThat(ids).containsExactly("a", "b"));
      await().atMost(LoopHarness.WAIT).until(() -> harness.consumer.paused().isEmpty() && harness.loop.healthy());
      assertThat(harness.count("trajlake.indexer.bulk.retries")).isEqualTo(3);
      assertThat(harness.deadLetters()).isEmpty();
    }
  }
}
