package org.trajlake.recall.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.trajlake.recall.Trajectories;
import org.trajlake.schema.TrajectoryStatus;

/**
 * A bulk request that neither answers nor fails (a hung embedding, a stuck native call): the loop
 * waits on it where no wakeup or timeout reaches, so it is reported stuck, not idle and healthy.
 */
class StuckBulkRequestTest {
  @Test
  void aLoopStuckOnABulkRequestIsReportedWithTheSettingAndRecoversWhenItReturns() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (LoopHarness harness = new LoopHarness(2, Duration.ofMillis(1_000))) {
      // Given a bulk request that hangs until released
      harness.writer.then(trajectories -> {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return LoopHarness.FakeWriter.created(trajectories);
      });

      // When a trajectory arrives and its request hangs for longer than the limit
      harness.poll(List.of(harness.record(Trajectories.coding("a", "ws", "task a", "{}", TrajectoryStatus.SUCCESS))));
      await().atMost(LoopHarness.WAIT).until(() -> !harness.writer.requests.isEmpty());
      Boolean healthyAtFirst = harness.loop.healthy();

      // Then the indexer turns unhealthy, saying why and which setting allows how long
      await().atMost(LoopHarness.WAIT).until(() -> !harness.loop.healthy());
      assertThat(healthyAtFirst).isTrue();
      assertThat(harness.loop.problem()).hasValueSatisfying(problem -> assertThat(problem)
          .contains("loop has made no progress for").contains("indexer.stall.ms (1000 ms)"));
      assertThat(harness.committed(harness.trajectories)).isEqualTo(-1);

      // And when the request returns, the record is committed and the indexer is healthy again
      release.countDown();
      harness.awaitCommitted(harness.trajectories, 1);
      await().atMost(LoopHarness.WAIT).until(() -> harness.loop.healthy());
      assertThat(harness.loop.problem()).isEmpty();
      assertThat(harness.deadLetters()).isEmpty();
    } finally {
      release.countDown();
    }
  }

  @Test
  void anIdleLoopIsNotStuck() throws Exception {
    try (LoopHarness harness = new LoopHarness(2, Duration.ofMillis(1_000))) {
      // Given an indexer with nothing to index, polling
      // When longer than the limit passes
      Thread.sleep(1_500);

      // Then it is healthy: polls that return empty are progress
      assertThat(harness.loop.healthy()).isTrue();
      assertThat(harness.loop.problem()).isEmpty();
    }
  }
}
