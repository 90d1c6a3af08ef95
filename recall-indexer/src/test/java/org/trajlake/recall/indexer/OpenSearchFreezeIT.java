package org.trajlake.recall.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
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
import org.trajlake.recall.index.TrajectoryDocuments;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.TrajectoryStatus;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.stack.LocalStack;
import org.trajlake.testkit.RealServers;

/**
 * The real OpenSearch node frozen (SIGSTOP, as a long GC pause or a hung host would) while a bulk
 * request is in flight: the request neither answers nor fails for longer than {@code
 * indexer.stall.ms}, so the indexer reports itself stuck and why; thawed, it finishes and every
 * trajectory is indexed.
 */
@RealServers({Component.KAFKA, Component.REGISTRY, Component.OPENSEARCH})
class OpenSearchFreezeIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @Test
  void aFrozenNodeMakesTheIndexerReportItselfStuckAndNothingIsLostWhenItThaws(Endpoints servers, LocalStack stack)
      throws Exception {
    // Given the indexer running with 3 s allowed without progress, and a producer writing a trajectory every 25 ms
    Map<String, Long> expected = new ConcurrentHashMap<>();
    AtomicBoolean producing = new AtomicBoolean(true);
    AtomicReference<Throwable> producerFailure = new AtomicReference<>();
    long node = stack.status(Set.of(Component.OPENSEARCH)).get(0).pid().orElseThrow();
    try (IndexerFixture fixture = IndexerFixture.provision(servers, "freeze");
        RunningIndexer indexer = fixture.start(Map.of(IndexerConfig.STALL_MS, "3000"))) {
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
      }, "freeze-producer");
      producer.start();
      await().atMost(TIMEOUT).until(() -> IndexerFixture.counter(indexer, "trajlake.indexed", "index",
          fixture.names.trajectories()) >= 10);

      HttpResponse<String> whileFrozen;
      try {
        // When the node freezes with records arriving, for longer than allowed but shorter than a request's timeout
        signal("STOP", node);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
            .until(() -> IndexerFixture.get(indexer, "/health").statusCode() == 503);
        whileFrozen = IndexerFixture.get(indexer, "/health");
        Thread.sleep(2_000); // the watch's next check logs the stall with the threads' stacks
      } finally {
        // (Always thawed: later test classes need the node.)
        signal("CONT", node);
      }

      // Then the indexer said it was stuck, naming the setting
      assertThat(whileFrozen.body()).contains("made no progress for").contains("indexer.stall.ms (3000 ms)");

      // And once thawed it is healthy again, and every trajectory is indexed: none lost
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
