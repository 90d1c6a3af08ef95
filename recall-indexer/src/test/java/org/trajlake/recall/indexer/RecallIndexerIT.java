package org.trajlake.recall.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.trajlake.recall.indexer.IndexerFixture.counter;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trajlake.recall.Trajectories;
import org.trajlake.recall.index.TrajectoryDocuments;
import org.trajlake.recall.indexer.IndexerFixture.Versioned;
import org.trajlake.runtime.DeadLetter;
import org.trajlake.schema.RewardedTrajectory;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.TrajectoryStatus;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;

/**
 * The indexer against the real broker, registry and OpenSearch node of the local stack: what ends
 * up in the indexes, what goes to the dead-letter topic, and what the metrics say.
 */
@RealServers({Component.KAFKA, Component.REGISTRY, Component.OPENSEARCH})
class RecallIndexerIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private IndexerFixture fixture;

  @BeforeEach
  void provision(Endpoints servers) {
    fixture = IndexerFixture.provision(servers, "indexer");
  }

  @AfterEach
  void close() throws Exception {
    fixture.close();
  }

  @Test
  void trajectoriesAndThenTheirRewardsEndIndexedAtTheLatestVersionWithTheirToolCalls() {
    // Given the indexer running, and ten trajectories indexed
    try (RunningIndexer indexer = fixture.start(Map.of())) {
      List<Trajectory> trajectories = IntStream.range(0, 10)
          .mapToObj(i -> Trajectories.coding("run-" + i, "team-a", "Fix the flaky test number " + i,
              "{\"cmd\":\"mvn -Dtest=T" + i + " test\"}", TrajectoryStatus.SUCCESS))
          .toList();
      fixture.produce(fixture.topics.trajectories(), trajectories, Trajectory::getTrajectoryId);
      await().atMost(TIMEOUT).until(() -> counter(indexer, "trajlake.indexed", "index", fixture.names.trajectories()) >= 10);

      // When two rewarded versions of each arrive
      List<RewardedTrajectory> rewards = new ArrayList<>();
      trajectories.forEach(t -> rewards.add(Trajectories.rewarded(t, 0.3, 1)));
      trajectories.forEach(t -> rewards.add(Trajectories.rewarded(t, 0.8, 2)));
      fixture.produce(fixture.topics.rewardedTrajectories(), rewards, r -> r.getTrajectory().getTrajectoryId());

      // Then every trajectory is indexed at its latest version, with its reward and its tool call
      long latest = TrajectoryDocuments.version(1, 2);
      await().atMost(TIMEOUT).untilAsserted(() -> {
        for (Trajectory t : trajectories) {
          assertThat(fixture.document(fixture.names.trajectories(), t.getTrajectoryId()))
              .map(Versioned::version).contains(latest);
        }
      });
      Versioned document = fixture.document(fixture.names.trajectories(), "run-3").orElseThrow();
      assertThat(document.source()).containsEntry("reward", 0.8).containsEntry("rewarded_version", 2)
          .containsEntry("label_status", "LABELED").containsEntry("outcome_kinds", List.of("pr_merged"));
      assertThat((List<?>) document.source().get("embedding")).hasSize(384);
      Versioned step = fixture.document(fixture.names.steps(), "run-3#2").orElseThrow();
      assertThat(step.version()).isEqualTo(latest);
      assertThat(step.source()).containsEntry("reward", 0.8).containsEntry("trajectory_id", "run-3");
      assertThat(((Map<?, ?>) step.source().get("tool_call")).get("arguments")).isEqualTo("{\"cmd\":\"mvn -Dtest=T3 test\"}");

      // And the metrics endpoint counts what came in and what was indexed
      String metrics = IndexerFixture.get(indexer, "/metrics").body();
      assertThat(metrics)
          .contains("trajlake_records_in_total{service=\"recall-indexer\",topic=\"" + fixture.topics.rewardedTrajectories().name()
              + "\"} 20.0")
          .contains("trajlake_indexed_total{index=\"" + fixture.names.steps() + "\",service=\"recall-indexer\"}")
          .contains("trajlake_e2e_latency_seconds{service=\"recall-indexer\",quantile=\"0.95\"}")
          .contains("trajlake_indexer_bulk_latency_seconds_count")
          .contains("kafka_consumer_fetch_manager_records_lag_max");
      assertThat(IndexerFixture.get(indexer, "/health").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aRewardedVersionThatArrivesBeforeItsPlainTrajectoryIsKept() {
    // Given the rewarded version of a trajectory indexed
    try (RunningIndexer indexer = fixture.start(Map.of())) {
      Trajectory trajectory = Trajectories.coding("early-reward", "team-a", "Bump the Jackson version", "{}",
          TrajectoryStatus.SUCCESS);
      fixture.produce(fixture.topics.rewardedTrajectories(), List.of(Trajectories.rewarded(trajectory, 0.9, 1)),
          r -> r.getTrajectory().getTrajectoryId());
      await().atMost(TIMEOUT).until(() -> fixture.document(fixture.names.trajectories(), "early-reward").isPresent());

      // When the plain trajectory (the same assembly, no reward yet) arrives afterwards
      fixture.produce(fixture.topics.trajectories(), List.of(trajectory), Trajectory::getTrajectoryId);

      // Then OpenSearch refuses it as an older version, and the rewarded document stays
      await().atMost(TIMEOUT).until(() -> counter(indexer, "trajlake.stale") >= 2); // the trajectory and its tool call
      Versioned document = fixture.document(fixture.names.trajectories(), "early-reward").orElseThrow();
      assertThat(document.version()).isEqualTo(TrajectoryDocuments.version(1, 1));
      assertThat(document.source()).containsEntry("reward", 0.9).containsEntry("label_status", "LABELED");
      assertThat(counter(indexer, "trajlake.dlq", "reason", "index-rejected")).isZero();
    }
  }

  @Test
  void recordsThatCannotBeDecodedGoToTheDeadLetterTopicWithTheirReason() {
    // Given garbage bytes and a record keyed by another trajectory's id, around a good trajectory
    fixture.produceRaw(fixture.topics.trajectories(), "garbage", "not avro at all".getBytes(StandardCharsets.UTF_8));
    Trajectory good = Trajectories.coding("good", "team-a", "Rename the module", "{}", TrajectoryStatus.SUCCESS);
    Trajectory mislabelled = Trajectories.coding("mislabelled", "team-a", "Rename the module", "{}", TrajectoryStatus.SUCCESS);
    fixture.produce(fixture.topics.trajectories(), List.of(good, mislabelled),
        t -> t == good ? "good" : "somebody-else");

    // When the indexer runs
    try (RunningIndexer indexer = fixture.start(Map.of())) {
      // Then both bad records are on the dead-letter topic with their reason and origin, bytes untouched
      List<ConsumerRecord<byte[], byte[]>> dead = fixture.deadLetters(2);
      assertThat(dead).hasSize(2);
      Map<String, DeadLetter> byKey = new java.util.HashMap<>();
      dead.forEach(r -> byKey.put(new String(r.key(), StandardCharsets.UTF_8), DeadLetter.from(r.headers()).orElseThrow()));
      assertThat(byKey.get("garbage").reason()).isEqualTo("no-magic-byte");
      assertThat(byKey.get("garbage").stage()).isEqualTo("recall-indexer");
      assertThat(byKey.get("garbage").sourceTopic()).isEqualTo(fixture.topics.trajectories().name());
      assertThat(byKey.get("somebody-else").reason()).isEqualTo("key-mismatch");
      assertThat(dead).anySatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("not avro at all"));

      // And the good one is indexed, and the metrics count both reasons
      await().atMost(TIMEOUT).until(() -> fixture.document(fixture.names.trajectories(), "good").isPresent());
      assertThat(fixture.document(fixture.names.trajectories(), "mislabelled")).isEmpty();
      String metrics = IndexerFixture.get(indexer, "/metrics").body();
      assertThat(metrics).contains("trajlake_dlq_total{reason=\"no-magic-byte\",service=\"recall-indexer\"} 1.0")
          .contains("trajlake_dlq_total{reason=\"key-mismatch\",service=\"recall-indexer\"} 1.0");
    }
  }

  @Test
  void aDocumentOpenSearchRejectsGoesToTheDeadLetterTopicWhileTheRestOfItsBatchIsIndexed() {
    // Given, in one batch, trajectories of which one carries an agent vector holding NaN (written
    // past ingest-streams' checks): OpenSearch's k-NN field rejects that document
    List<Trajectory> batch = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      batch.add(Trajectories.coding("batch-" + i, "team-a", "Upgrade Gradle, attempt " + i, "{}", TrajectoryStatus.SUCCESS));
    }
    List<Float> nan = new ArrayList<>(Collections.nCopies(384, 0.05f));
    nan.set(7, Float.NaN);
    batch.set(2, Trajectory.newBuilder(batch.get(2)).setEmbedding(nan).build());
    fixture.produce(fixture.topics.trajectories(), batch, Trajectory::getTrajectoryId);

    // When the indexer takes the batch
    try (RunningIndexer indexer = fixture.start(Map.of())) {
      // Then the rejected record is on the dead-letter topic with OpenSearch's reason
      List<ConsumerRecord<byte[], byte[]>> dead = fixture.deadLetters(1);
      assertThat(dead).hasSize(1);
      DeadLetter letter = DeadLetter.from(dead.get(0).headers()).orElseThrow();
      assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("batch-2");
      assertThat(letter.reason()).isEqualTo("index-rejected");
      assertThat(letter.detail()).contains(fixture.names.trajectories()).contains("batch-2")
          .contains("mapper_parsing_exception").contains("embedding");

      // And the other four are indexed, their offsets committed (nothing is retried)
      for (int i : new int[] {0, 1, 3, 4}) {
        await().atMost(TIMEOUT).until(() -> fixture.document(fixture.names.trajectories(), "batch-" + i).isPresent());
      }
      assertThat(fixture.document(fixture.names.trajectories(), "batch-2")).isEmpty();
      await().atMost(TIMEOUT).until(() -> fixture.committed(fixture.topics.trajectories()) == batch.size());
      assertThat(counter(indexer, "trajlake.indexer.bulk.retries")).isZero();
      assertThat(counter(indexer, "trajlake.dlq", "reason", "index-rejected")).isEqualTo(1.0);
    }
  }
}
