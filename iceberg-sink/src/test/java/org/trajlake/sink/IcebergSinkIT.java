package org.trajlake.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.trajlake.sink.SinkFixtures.T0;
import static org.trajlake.sink.SinkFixtures.rewarded;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trajlake.runtime.DeadLetter;
import org.trajlake.runtime.Settings;
import org.trajlake.schema.Outcome;
import org.trajlake.schema.RewardedTrajectory;
import org.trajlake.schema.Topics;
import org.trajlake.sink.commit.SinkSummary;
import org.trajlake.sink.table.TableNames;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;

/** The sink against the real broker and registry and the stack's Iceberg catalog. */
@RealServers({Component.KAFKA, Component.REGISTRY, Component.ICEBERG})
class IcebergSinkIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  private Endpoints servers;
  private Catalog catalog;

  @BeforeEach
  void catalog(Endpoints servers) {
    this.servers = servers;
    this.catalog = servers.openIcebergCatalog();
  }

  @Test
  void theCurrentSnapshotHoldsEachTrajectoryOnceAtItsLatestVersionAndOlderSnapshotsKeepTheirRows() {
    // Given the sink committing every 40 records
    Topics topics = SinkFixtures.provision(servers, "upsert");
    String namespace = "it_upsert_" + System.nanoTime();
    Map<String, String> settings = SinkFixtures.settings(servers, topics, namespace);
    settings.put(SinkConfig.COMMIT_MAX_RECORDS, "40");
    List<String> ids = IntStream.range(0, 60).mapToObj(i -> "t-" + i).toList();
    try (RunningSink sink = SinkApp.start(SinkConfig.from(Settings.of(settings)))) {
      // When version 1 of every trajectory arrives, with outcomes
      SinkFixtures.produce(servers, topics.rewardedTrajectories(),
          ids.stream().map(id -> rewarded(id, 1, null, T0, 6)).toList(), r -> r.getTrajectory().getTrajectoryId());
      SinkFixtures.produce(servers, topics.outcomes(),
          ids.stream().map(id -> SinkFixtures.outcome(id + "-o", id, "tests_passed", 1.0)).toList(), Outcome::getTrajectoryId);
      Table table = SinkFixtures.table(awaitTable(namespace, TableNames.TRAJECTORIES), namespace, TableNames.TRAJECTORIES);
      await().atMost(TIMEOUT).until(() -> SinkFixtures.versions(table).size() == ids.size());
      long firstPhase = table.currentSnapshot().snapshotId();
      Map<String, Long> firstRows = SinkFixtures.versions(table);

      // and then versions 2 and 3, the third moving every other trajectory's end to the next day
      List<RewardedTrajectory> later = new ArrayList<>();
      ids.forEach(id -> later.add(rewarded(id, 2, 0.5, T0, 6)));
      for (int i = 0; i < ids.size(); i++) {
        later.add(rewarded(ids.get(i), 3, 1.0, i % 2 == 0 ? T0.plus(Duration.ofDays(1)) : T0, 6));
      }
      SinkFixtures.produce(servers, topics.rewardedTrajectories(), later, r -> r.getTrajectory().getTrajectoryId());

      // Then the current snapshot has each trajectory once, at version 3, in the partition of its new end
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(SinkFixtures.versions(table))
          .isEqualTo(ids.stream().collect(Collectors.toMap(id -> id, id -> 3L))));
      Map<String, OffsetDateTime> ends = new HashMap<>();
      SinkFixtures.rows(table, null).forEach(r -> ends.put((String) r.getField("trajectory_id"), (OffsetDateTime) r.getField("ended_at")));
      assertThat(ends.get("t-0")).isEqualTo(T0.plus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC));
      assertThat(ends.get("t-1")).isEqualTo(T0.atOffset(ZoneOffset.UTC));
      // and the snapshot of the first phase still reads exactly its own rows
      Map<String, Long> again = new HashMap<>();
      SinkFixtures.rows(table, firstPhase).forEach(r -> again.put((String) r.getField("trajectory_id"), (Long) r.getField("version")));
      assertThat(again).isEqualTo(firstRows);
      // and the outcomes table holds each outcome once
      Table outcomes = SinkFixtures.table(catalog, namespace, TableNames.OUTCOMES);
      await().atMost(TIMEOUT).until(() -> SinkFixtures.rows(outcomes, null).size() == ids.size());
      // and every sink snapshot's offset ranges follow each other with no gap and no overlap
      SinkFixtures.assertContiguousRanges(table, topics.rewardedTrajectories().name());
    }
  }

  @Test
  void badRecordsAreDeadLetteredAndOnlyGraduatesReachTheTable() {
    // Given the sink graduating trajectories with a reward of 0.5 or more
    Topics topics = SinkFixtures.provision(servers, "graduation");
    String namespace = "it_grad_" + System.nanoTime();
    Map<String, String> settings = SinkFixtures.settings(servers, topics, namespace);
    settings.put(Graduation.MIN_REWARD, "0.5");
    try (RunningSink sink = SinkApp.start(SinkConfig.from(Settings.of(settings)))) {
      // When a good one, a poor one, one that graduates and then falls below, garbage and a wrong key arrive
      SinkFixtures.produce(servers, topics.rewardedTrajectories(), List.of(
          rewarded("good", 1, 0.9, T0, 4), rewarded("poor", 1, 0.1, T0, 4), rewarded("falls", 1, 0.8, T0, 4)),
          r -> r.getTrajectory().getTrajectoryId());
      Table table = SinkFixtures.table(awaitTable(namespace, TableNames.TRAJECTORIES), namespace, TableNames.TRAJECTORIES);
      await().atMost(TIMEOUT).until(() -> SinkFixtures.versions(table).size() == 2);
      SinkFixtures.produce(servers, topics.rewardedTrajectories(), List.of(rewarded("falls", 2, 0.2, T0, 4)),
          r -> r.getTrajectory().getTrajectoryId());
      SinkFixtures.produceRaw(servers, topics.rewardedTrajectories().name(), "x".getBytes(StandardCharsets.UTF_8),
          "not avro".getBytes(StandardCharsets.UTF_8));
      SinkFixtures.produce(servers, topics.rewardedTrajectories(), List.of(rewarded("keyed", 1, 0.9, T0, 4)),
          r -> "another-id");

      // Then only the good one is left
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(SinkFixtures.versions(table)).isEqualTo(Map.of("good", 1L)));
      // and both bad records are on the dead-letter topic with their reasons
      List<String> reasons = await().atMost(TIMEOUT).until(() -> deadLetterReasons(topics), r -> r.size() >= 2);
      assertThat(reasons).containsExactlyInAnyOrder("no-magic-byte", "key-mismatch");
      // and the snapshot summaries count what was filtered and dead-lettered
      long filtered = 0;
      long dead = 0;
      for (Snapshot s : table.snapshots()) {
        filtered += Long.parseLong(s.summary().getOrDefault(SinkSummary.FILTERED, "0"));
        dead += Long.parseLong(s.summary().getOrDefault(SinkSummary.DEAD_LETTERED, "0"));
      }
      assertThat(filtered).isEqualTo(2);
      assertThat(dead).isEqualTo(2);
    }
  }

  @Test
  void eachCommitTriggerClosesABatchOnItsOwn() {
    String hour = Long.toString(Duration.ofHours(1).toMillis());
    // Given a sink whose only reachable trigger is 10 records, when 30 arrive: three batches of 10
    List<Long> byCount = batches("count", Map.of(SinkConfig.COMMIT_MAX_RECORDS, "10", SinkConfig.COMMIT_INTERVAL_MS, hour),
        30, 30);
    assertThat(byCount).containsExactly(10L, 10L, 10L);

    // Given one whose only reachable trigger is just over two records' bytes, when 9 arrive: batches of 3
    Topics sized = SinkFixtures.provision(servers, "bytes");
    List<RewardedTrajectory> nine = IntStream.range(0, 9).mapToObj(i -> rewarded("b-" + i, 1, 0.5, T0, 20)).toList();
    List<Integer> sizes = nine.stream()
        .map(r -> sized.rewardedTrajectories().valueSerde().serializer().serialize(sized.rewardedTrajectories().name(), r).length)
        .distinct().toList();
    assertThat(sizes).as("every record the same size").hasSize(1);
    assertThat(sizes.get(0)).as("two records above commit.max.bytes' floor of 1024").isGreaterThan(512);
    List<Long> byBytes = batches(sized, nine, Map.of(SinkConfig.COMMIT_MAX_BYTES, Long.toString(2L * sizes.get(0) + 1),
        SinkConfig.COMMIT_INTERVAL_MS, hour), 9);
    assertThat(byBytes).containsExactly(3L, 3L, 3L);

    // Given one whose only reachable trigger is a 1 s interval, when 5 arrive: committed while it runs
    List<Long> byInterval = batches("interval", Map.of(SinkConfig.COMMIT_INTERVAL_MS, "1000"), 5, 5);
    assertThat(byInterval.stream().mapToLong(Long::longValue).sum()).isEqualTo(5L);
  }

  /** The records of each sink snapshot, in commit order, once {@code expectRows} rows are committed. */
  private List<Long> batches(String name, Map<String, String> triggers, int records, int expectRows) {
    Topics topics = SinkFixtures.provision(servers, name);
    List<RewardedTrajectory> values = IntStream.range(0, records)
        .mapToObj(i -> rewarded(String.format("%s-%03d", name, i), 1, 0.5, T0, 2)).toList();
    return batches(topics, values, triggers, expectRows);
  }

  private List<Long> batches(Topics topics, List<RewardedTrajectory> values, Map<String, String> triggers,
      int expectRows) {
    String namespace = "it_trigger_" + System.nanoTime();
    Map<String, String> settings = SinkFixtures.settings(servers, topics, namespace);
    settings.putAll(triggers);
    try (RunningSink sink = SinkApp.start(SinkConfig.from(Settings.of(settings)))) {
      SinkFixtures.produce(servers, topics.rewardedTrajectories(), values, r -> r.getTrajectory().getTrajectoryId());
      Table table = SinkFixtures.table(awaitTable(namespace, TableNames.TRAJECTORIES), namespace, TableNames.TRAJECTORIES);
      // Read while the sink runs: its stop commits whatever it holds, whatever the triggers
      await().atMost(TIMEOUT).until(() -> SinkFixtures.versions(table).size() == expectRows);
      List<Snapshot> commits = new ArrayList<>();
      table.snapshots().forEach(snapshot -> {
        if (snapshot.summary().containsKey(SinkSummary.RECORDS)) {
          commits.add(snapshot);
        }
      });
      commits.sort(java.util.Comparator.comparingLong(Snapshot::sequenceNumber));
      return commits.stream().map(snapshot -> Long.parseLong(snapshot.summary().get(SinkSummary.RECORDS))).toList();
    }
  }

  @Test
  void twoInstancesWithTheSameConfigAndRestartsNeverCommitARecordTwice() {
    // Given two sink instances with the same settings sharing the partitions
    Topics topics = SinkFixtures.provision(servers, "twice");
    String namespace = "it_twice_" + System.nanoTime();
    Map<String, String> settings = SinkFixtures.settings(servers, topics, namespace);
    settings.put(SinkConfig.COMMIT_MAX_RECORDS, "25");
    List<String> ids = IntStream.range(0, 300).mapToObj(i -> "d-" + i).toList();
    RunningSink first = SinkApp.start(SinkConfig.from(Settings.of(settings)));
    RunningSink second = SinkApp.start(SinkConfig.from(Settings.of(settings)));
    try {
      // When records arrive in waves while one instance stops and a third one starts
      for (int wave = 0; wave < 3; wave++) {
        int v = wave + 1;
        SinkFixtures.produce(servers, topics.rewardedTrajectories(),
            ids.stream().map(id -> rewarded(id, v, 0.1 * v, T0, 2)).toList(), r -> r.getTrajectory().getTrajectoryId());
        SinkFixtures.produce(servers, topics.outcomes(),
            ids.stream().map(id -> SinkFixtures.outcome(id + "-" + v, id, "rating", v)).toList(), Outcome::getTrajectoryId);
        if (wave == 1) {
          first.close();
          first = SinkApp.start(SinkConfig.from(Settings.of(settings)));
        }
      }
      // Then each trajectory is there once at version 3, each outcome once
      Table table = SinkFixtures.table(awaitTable(namespace, TableNames.TRAJECTORIES), namespace, TableNames.TRAJECTORIES);
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(SinkFixtures.versions(table))
          .isEqualTo(ids.stream().collect(Collectors.toMap(id -> id, id -> 3L))));
      Table outcomes = SinkFixtures.table(catalog, namespace, TableNames.OUTCOMES);
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(SinkFixtures.rows(outcomes, null)).hasSize(3 * ids.size()));
      assertThat(SinkFixtures.rows(outcomes, null).stream().map(r -> r.getField("outcome_id")).distinct().count())
          .isEqualTo(3L * ids.size());
      // and no two snapshots cover the same offsets
      SinkFixtures.assertContiguousRanges(table, topics.rewardedTrajectories().name());
      SinkFixtures.assertContiguousRanges(outcomes, topics.outcomes().name());
    } finally {
      first.close();
      second.close();
    }
  }

  private Catalog awaitTable(String namespace, String name) {
    await().atMost(TIMEOUT).until(() -> catalog.tableExists(org.apache.iceberg.catalog.TableIdentifier.of(namespace, name)));
    return catalog;
  }

  private List<String> deadLetterReasons(Topics topics) {
    Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.bootstrapServers(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.GROUP_ID_CONFIG, "dlq-" + System.nanoTime());
    List<String> reasons = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topics.deadLetters().name()));
      long deadline = System.currentTimeMillis() + 3_000;
      while (System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(300))) {
          DeadLetter.from(record.headers()).ifPresent(d -> reasons.add(d.reason()));
        }
      }
    }
    return reasons;
  }
}
