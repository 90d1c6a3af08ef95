package org.trajlake.recall.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
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
    try (IndexerFixture fixture = IndexerFixture.provision(servers, "outage");
        RunningIndexer indexer = fixture.start(Map.of());
        SteadyProducer producer = SteadyProducer.start(fixture, "o-", Duration.ofMillis(25))) {
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
      Map<String, Long> expected = producer.stop();

      // Then every trajectory is indexed at its latest version: none lost, none left behind
      assertThat(expected).hasSizeGreaterThan(100);
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(
          fixture.versions(fixture.names.trajectories(), List.copyOf(expected.keySet()))).isEqualTo(expected));
      assertThat(IndexerFixture.counter(indexer, "trajlake.indexer.bulk.retries")).isPositive();
      assertThat(IndexerFixture.get(indexer, "/health").statusCode()).isEqualTo(200);
    }
  }
}
