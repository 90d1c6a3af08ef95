package org.trajlake.recall.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.trajlake.recall.Trajectories;
import org.trajlake.recall.index.OpenSearchSettings;
import org.trajlake.recall.index.TrajectoryDocuments;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.TrajectoryStatus;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.stack.LocalStack;
import org.trajlake.testkit.RealServers;

/**
 * The real OpenSearch node frozen (SIGSTOP, as a long GC pause or a hung host would) while
 * trajectories keep arriving and a bulk request is in flight. The request never answers: the indexer
 * says so on {@code /health}, and once the node thaws every trajectory is indexed.
 */
@RealServers({Component.KAFKA, Component.REGISTRY, Component.OPENSEARCH})
class OpenSearchFreezeIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @Test
  void aRequestHungForLongerThanTheStallLimitIsReportedAsAStuckLoop(Endpoints servers, LocalStack stack)
      throws Exception {
    // Given 3 s allowed without progress, well within the 30 s a request may wait for its answer
    // When the node freezes mid-stream, then /health says the loop is stuck, naming the setting
    // And once thawed, every trajectory is indexed
    freezeAndThaw(servers, stack, "freeze-stall", Map.of(IndexerConfig.STALL_MS, "3000"),
        "made no progress for", "indexer.stall.ms (3000 ms)");
  }

  @Test
  void aRequestUnansweredForLongerThanTheTimeoutFailsAndIsRetried(Endpoints servers, LocalStack stack)
      throws Exception {
    // Given requests that wait 2 s for their answer, the stall limit at its default
    // When the node freezes mid-stream, then the request fails, /health says why, and it is retried
    // And once thawed, every trajectory is indexed (before the request timeout, it waited forever)
    freezeAndThaw(servers, stack, "freeze-timeout", Map.of(OpenSearchSettings.TIMEOUT_MS, "2000"),
        "records not indexed", "OpenSearch did not answer within opensearch.timeout.ms (2000 MILLISECONDS)");
  }

  private static void freezeAndThaw(Endpoints servers, LocalStack stack, String name, Map<String, String> settings,
      String... healthSays) throws Exception {
    Map<String, Long> expected = new ConcurrentHashMap<>();
    AtomicBoolean producing = new AtomicBoolean(true);
    AtomicReference<Throwable> producerFailure = new AtomicReference<>();
    long node = stack.status(Set.of(Component.OPENSEARCH)).get(0).pid().orElseThrow();
    try (IndexerFixture fixture = IndexerFixture.provision(servers, name);
        RunningIndexer indexer = fixture.start(settings)) {
      // A trajectory every 25 ms, so a bulk request is in flight when the node freezes
      Thread producer = new Thread(() -> {
        try (KafkaProducer<String, Trajectory> plain = fixture.producer(fixture.topics.trajectories())) {
          for (int i = 0; producing.get(); i++) {
            Trajectory t = Trajectories.coding("f-" + i, "team-a", "Freeze task " + i, "{}", TrajectoryStatus.SUCCESS);
            plain.send(new ProducerRecord<>(fixture.topics.trajectories().name(), t.getTrajectoryId(), t)).get();
            expected.put(t.getTrajectoryId(), TrajectoryDocuments.version(1, 0));
            Thread.sleep(25);
          }
        } catch (Throwable e) {
          producerFailure.set(e);
        }
      }, name + "-producer");
      producer.start();
      await().atMost(TIMEOUT).until(() -> IndexerFixture.counter(indexer, "trajlake.indexed", "index",
          fixture.names.trajectories()) >= 10);

      String whileFrozen;
      try {
        signal("STOP", node);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
            .until(() -> IndexerFixture.get(indexer, "/health").statusCode() == 503);
        whileFrozen = IndexerFixture.get(indexer, "/health").body();
        Thread.sleep(2_000); // the log gets the stall's stacks, or the retries' warnings, meanwhile
      } finally {
        signal("CONT", node); // always: later test classes need the node
      }
      assertThat(whileFrozen).contains(healthSays);

      await().atMost(TIMEOUT).until(indexer::healthy);
      Thread.sleep(500);
      producing.set(false);
      producer.join();
      assertThat(producerFailure.get()).isNull();
      assertThat(expected).hasSizeGreaterThan(50);
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(
          fixture.versions(fixture.names.trajectories(), List.copyOf(expected.keySet()))).isEqualTo(expected));
      assertThat(IndexerFixture.get(indexer, "/health").statusCode()).isEqualTo(200);
    } finally {
      producing.set(false);
    }
  }

  /** Sends {@code SIG<name>} to process {@code pid}. */
  private static void signal(String name, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).as("kill -%s %d", name, pid).isZero();
  }
}
