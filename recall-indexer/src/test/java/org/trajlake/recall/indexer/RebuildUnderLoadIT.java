package org.trajlake.recall.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opensearch.client.transport.OpenSearchTransport;
import org.trajlake.recall.index.IndexAdmin;
import org.trajlake.recall.index.IndexRebuild;
import org.trajlake.recall.index.OpenSearchClients;
import org.trajlake.recall.index.OpenSearchSettings;
import org.trajlake.recall.index.TextAnalysis;
import org.trajlake.runtime.Settings;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;

/**
 * Both aliases rebuilt with new settings while the real indexer consumes a steady stream of trajectories
 * and rewards from Kafka: afterwards every trajectory and tool call is behind the new indexes at its
 * latest version, and nothing went to the dead-letter topic.
 */
@RealServers({Component.KAFKA, Component.REGISTRY, Component.OPENSEARCH})
class RebuildUnderLoadIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @Test
  void everyTrajectoryAndToolCallEndsBehindTheNewIndexesAtItsLatestVersion(Endpoints servers) throws Exception {
    // Given the indexer running on indexes analysed as standard, and a producer writing a trajectory (and, for
    // every other one, a rewarded version) every 10 ms
    try (IndexerFixture fixture = IndexerFixture.provision(servers, "rebuild");
        RunningIndexer indexer = fixture.start(Map.of(IndexerConfig.INDEX_TEXT_ANALYSIS, "standard"));
        SteadyProducer producer = SteadyProducer.start(fixture, "r-", Duration.ofMillis(10))) {
      await().atMost(TIMEOUT).until(() -> IndexerFixture.counter(indexer, "trajlake.indexed", "index",
          fixture.names.trajectories()) >= 50);

      // When both aliases are rebuilt with code analysis, as `trajlake reindex` does with the indexer's settings
      IndexerConfig config = IndexerConfig.from(Settings.of(fixture.settings(Map.of())));
      List<IndexRebuild.Result> results = new ArrayList<>();
      try (OpenSearchTransport transport = OpenSearchClients.transport(new OpenSearchSettings.Connection(
          servers.openSearchUrl(), "", "", fixture.names.prefix()))) {
        IndexRebuild rebuild = new IndexRebuild(transport, fixture.names, config.indexSettings(), config.embeddingModel());
        for (IndexRebuild.Plan plan : rebuild.plans()) {
          assertThat(plan.changes()).containsExactly(new IndexRebuild.Change("text analysis", "standard", "code"));
          results.add(rebuild.rebuild(plan, false, progress -> {}));
        }
        // and the producer goes on a while after
        Thread.sleep(1000);
        Map<String, Long> expected = producer.stop();

        // Then every trajectory, and its tool call, is behind the new indexes at its latest version
        assertThat(expected).hasSizeGreaterThan(100);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(
            fixture.versions(fixture.names.trajectories(), List.copyOf(expected.keySet()))).isEqualTo(expected));
        Map<String, Long> expectedSteps = new HashMap<>();
        expected.forEach((id, version) -> expectedSteps.put(id + "#2", version));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(
            fixture.versions(fixture.names.steps(), List.copyOf(expectedSteps.keySet()))).isEqualTo(expectedSteps));
        // And they are the new indexes, analysed as code, the old ones gone; nothing was refused on the way
        IndexAdmin admin = new IndexAdmin(transport, fixture.names);
        for (String alias : List.of(fixture.names.trajectories(), fixture.names.steps())) {
          assertThat(rebuild.plan(alias).from()).containsExactly(alias + "-000002");
          assertThat(rebuild.plan(alias).strays()).isEmpty();
          assertThat(admin.textAnalysis(alias)).isEqualTo(TextAnalysis.CODE);
        }
        assertThat(results).allMatch(IndexRebuild.Result::oldDeleted);
        // (the writes that reached an old index during its copy came over after the swap: 37 and 20 in one run)
        assertThat(results.stream().mapToLong(IndexRebuild.Result::caughtUp).sum()).isPositive();
        assertThat(indexer.registry().find("trajlake.dlq").counters()).as("dead letters, by reason")
            .allMatch(counter -> counter.count() == 0);
        assertThat(indexer.healthy()).isTrue();
      }
    }
  }
}
