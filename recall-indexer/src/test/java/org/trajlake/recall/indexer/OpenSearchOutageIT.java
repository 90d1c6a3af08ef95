package org.trajlake.recall.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.trajlake.recall.Trajectories;
import org.trajlake.recall.index.TrajectoryDocuments;
import org.trajlake.schema.RewardedTrajectory;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.TrajectoryStatus;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.stack.LocalStack;
import org.trajlake.testkit.RealServers;

/**
 * OpenSearch stopped while trajectories keep arriving, then started again: the indexer waits,
 * paused, reports itself down, and afterwards every trajectory is indexed at its latest version.
 */
@RealServers({Component.KAFKA, Component.REGISTRY, Component.OPENSEARCH})
class OpenSearchOutageIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @Test
  void everyTrajectoryEndsIndexedAtItsLatestVersionAfterOpenSearchComesBack(Endpoints servers, LocalStack stack)
      throws Exception {
    // Given the indexer running and a producer writing a trajectory (and, for every other one, a
    // rewarded version) every 25 ms
    Map<String, Long> expected = new ConcurrentHashMap<>();
    AtomicBoolean producing = new AtomicBoolean(true);
    AtomicReference<Throwable> producerFailure = new AtomicReference<>();
    try (IndexerFixture fixture = IndexerFixture.provision(servers, "outage");
        RunningIndexer indexer = fixture.start(Map.of())) {
      Thread producer = new Thread(() -> {
        try (KafkaProducer<String, Trajectory> plain = fixture.producer(fixture.topics.trajectories());
            KafkaProducer<String, RewardedTrajectory> rewarded = fixture.producer(fixture.topics.rewardedTrajectories())) {
          for (int i = 0; producing.get(); i++) {
            Trajectory t = Trajectories.coding("o-" + i, "team-a", "Outage task " + i, "{}", TrajectoryStatus.SUCCESS);
            plain.send(new ProducerRecord<>(fixture.topics.trajectories().name(), t.getTrajectoryId(), t)).get();
            expected.put(t.getTrajectoryId(), TrajectoryDocuments.version(1, 0));
            if (i % 2 == 1) {
              rewarded.send(new ProducerRecord<>(fixture.topics.rewardedTrajectories().name(), t.getTrajectoryId(),
                  Trajectories.rewarded(t, 0.5, 1))).get();
              expected.put(t.getTrajectoryId(), TrajectoryDocuments.version(1, 1));
            }
            Thread.sleep(25);
          }
        } catch (Throwable e) {
          producerFailure.set(e);
        }
      }, "outage-producer");
      producer.start();
      await().atMost(TIMEOUT).until(() -> IndexerFixture.counter(indexer, "trajlake.indexed", "index",
          fixture.names.trajectories()) >= 10);

      try {
        // When OpenSearch stops while records keep arriving
        stack.stop(Set.of(Component.OPENSEARCH));

        // Then the indexer reports itself down while it waits
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
            .until(() -> IndexerFixture.get(indexer, "/health").statusCode() == 503);
      } finally {
        // When OpenSearch is back (always: later test classes need it)
        stack.up(Set.of(Component.OPENSEARCH));
      }
      await().atMost(TIMEOUT).until(indexer::healthy);
      Thread.sleep(500);
      producing.set(false);
      producer.join();
      assertThat(producerFailure.get()).isNull();

      // Then every trajectory is indexed at its latest version: none lost, none left behind
      assertThat(expected).hasSizeGreaterThan(100);
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(
          fixture.versions(fixture.names.trajectories(), List.copyOf(expected.keySet()))).isEqualTo(expected));
      assertThat(IndexerFixture.counter(indexer, "trajlake.indexer.bulk.retries")).isPositive();
      assertThat(IndexerFixture.get(indexer, "/health").statusCode()).isEqualTo(200);
    } finally {
      producing.set(false);
    }
  }
}
