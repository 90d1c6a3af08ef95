package org.trajlake.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.trajlake.schema.LabelStatus;
import org.trajlake.schema.Outcome;
import org.trajlake.schema.RewardedTrajectory;
import org.trajlake.schema.Step;
import org.trajlake.schema.StepKind;
import org.trajlake.schema.ToolCall;
import org.trajlake.schema.ToolResult;
import org.trajlake.schema.Topic;
import org.trajlake.schema.Topics;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.TrajectoryStatus;
import org.trajlake.schema.provision.SchemaProvisioner;
import org.trajlake.schema.provision.TopicProvisioner;
import org.trajlake.schema.registry.HttpSchemaRegistry;
import org.trajlake.schema.serde.AvroSerdeConfig;
import org.trajlake.stack.Endpoints;
import org.trajlake.sink.commit.SinkSummary;
import org.trajlake.sink.table.TableNames;

/** Inputs for the sink's tests, a topic prefix and a namespace of each test's own, and table reads. */
public final class SinkFixtures {
  public static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  /** How long an integration test waits for the sink to get somewhere. */
  public static final Duration IT_TIMEOUT = Duration.ofSeconds(90);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private SinkFixtures() {}

  /** A rewarded trajectory with {@code steps} steps (tool calls with results), ending {@code endedAt}. */
  public static RewardedTrajectory rewarded(String id, long version, Double reward, Instant endedAt, int steps) {
    List<Step> list = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      Step.Builder step = Step.newBuilder().setEventId(id + "-e" + i).setSeq(i).setTs(endedAt.minusSeconds(steps - i))
          .setAttributes(Map.of());
      switch (i % 4) {
        case 0 -> step.setKind(StepKind.OBSERVATION).setContent("the build fails on test " + i + " of " + id);
        case 1 -> step.setKind(StepKind.THOUGHT).setContent("read the failing test first");
        case 2 -> step.setKind(StepKind.TOOL_CALL).setContent("")
            .setToolCall(ToolCall.newBuilder().setName("shell").setCallId("c" + i).setArguments("{\"cmd\":\"mvn test\"}").build());
        default -> step.setKind(StepKind.TOOL_RESULT).setContent("")
            .setToolResult(ToolResult.newBuilder().setCallId("c" + (i - 1)).setOutput("BUILD SUCCESS").setIsError(false).build());
      }
      list.add(step.build());
    }
    Trajectory trajectory = Trajectory.newBuilder()
        .setTrajectoryId(id).setWorkspace("team-a").setAgentId("coder@1.0").setTaskId("task-" + (id.hashCode() & 7))
        .setStatus(TrajectoryStatus.SUCCESS).setStartedAt(endedAt.minusSeconds(steps + 1)).setEndedAt(endedAt)
        .setSteps(list).setTags(List.of("ci")).setAttributes(Map.of()).setVersion(1).setAssembledAt(endedAt)
        .build();
    return RewardedTrajectory.newBuilder().setTrajectory(trajectory)
        .setOutcomes(reward == null ? List.of() : List.of(outcome(id + "-o" + version, id, "tests_passed", reward)))
        .setReward(reward).setRewardComponents(reward == null ? Map.of() : Map.of("tests_passed", reward))
        .setLabelStatus(reward == null ? LabelStatus.UNLABELED : LabelStatus.LABELED).setRewardSpec("default")
        .setVersion(version).setRewardedAt(endedAt.plusSeconds(version)).build();
  }

  public static Outcome outcome(String outcomeId, String trajectoryId, String kind, double value) {
    return Outcome.newBuilder().setOutcomeId(outcomeId).setTrajectoryId(trajectoryId).setWorkspace("team-a")
        .setKind(kind).setValue(value).setTs(T0).setSource("ci-bot").setAttributes(Map.of()).build();
  }

  /** Topics under a fresh prefix, provisioned the way {@code trajlake up} does, with the schemas registered. */
  public static Topics provision(Endpoints servers, String name) {
    Topics topics = Topics.create("it." + name + "." + System.nanoTime() + ".",
        Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, servers.registryUrl()));
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers.bootstrapServers()))) {
      new TopicProvisioner(admin).provision(topics.all());
    }
    new SchemaProvisioner(HttpSchemaRegistry.builder(servers.registryUrl()).build()).provision(topics.all());
    return topics;
  }

  /** The sink's settings for these topics, a namespace of the test's own in the stack's catalog, and fast commits. */
  public static Map<String, String> settings(Endpoints servers, Topics topics, String namespace) {
    Map<String, String> settings = new HashMap<>();
    settings.put(SinkConfig.BOOTSTRAP_SERVERS, servers.bootstrapServers());
    settings.put(SinkConfig.SCHEMA_REGISTRY_URL, servers.registryUrl());
    settings.put(SinkConfig.TOPIC_PREFIX, topics.prefix());
    settings.put(SinkConfig.GROUP_ID, "sink-" + namespace);
    settings.put(CatalogSettings.URI, servers.icebergCatalogProperties().get("uri"));
    settings.put(CatalogSettings.WAREHOUSE, servers.icebergCatalogProperties().get("warehouse"));
    settings.put(CatalogSettings.NAMESPACE, namespace);
    settings.put(SinkConfig.COMMIT_INTERVAL_MS, "500");
    settings.put(SinkConfig.METRICS_PORT, "-1");
    return settings;
  }

  public static <V> void produce(Endpoints servers, Topic<String, V> topic, List<V> values,
      java.util.function.Function<V, String> key) {
    try (KafkaProducer<String, V> producer = new KafkaProducer<>(producerProps(servers), new StringSerializer(),
        topic.valueSerde().serializer())) {
      for (V value : values) {
        producer.send(new ProducerRecord<>(topic.name(), key.apply(value), value));
      }
    }
  }

  /** Version 1 of each trajectory, four steps, reward 0.5, keyed by its id. */
  public static void produceFirstVersions(Endpoints servers, Topics topics, List<String> ids) {
    produce(servers, topics.rewardedTrajectories(), ids.stream().map(id -> rewarded(id, 1, 0.5, T0, 4)).toList(),
        r -> r.getTrajectory().getTrajectoryId());
  }

  /** The namespace's trajectories table, once the sink has created it and committed {@code rows} rows. */
  public static Table awaitTrajectories(Catalog catalog, String namespace, int rows) {
    org.apache.iceberg.catalog.TableIdentifier identifier =
        org.apache.iceberg.catalog.TableIdentifier.of(namespace, TableNames.TRAJECTORIES);
    await().atMost(IT_TIMEOUT).until(() -> catalog.tableExists(identifier));
    Table table = catalog.loadTable(identifier);
    await().atMost(IT_TIMEOUT).until(() -> versions(table).size() == rows);
    return table;
  }

  /** {@code GET /health} of a sink started with a metrics port. */
  public static HttpResponse<String> health(RunningSink sink) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sink.metricsPort() + "/health"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  public static void produceRaw(Endpoints servers, String topic, byte[] key, byte[] value) {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(servers), new ByteArraySerializer(),
        new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, key, value));
    }
  }

  private static Properties producerProps(Endpoints servers) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return props;
  }

  /** Every row of the table's current snapshot (deletes applied), or of {@code snapshotId} when not null. */
  public static List<Record> rows(Table table, Long snapshotId) {
    table.refresh();
    if (table.currentSnapshot() == null) {
      return List.of();
    }
    IcebergGenerics.ScanBuilder scan = IcebergGenerics.read(table);
    if (snapshotId != null) {
      scan = scan.useSnapshot(snapshotId);
    }
    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = scan.build()) {
      records.forEach(r -> rows.add(r.copy()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return rows;
  }

  /** trajectory_id -> version of the rows of the current snapshot; fails on a repeated id. */
  public static Map<String, Long> versions(Table table) {
    Map<String, Long> versions = new HashMap<>();
    for (Record row : rows(table, null)) {
      Long earlier = versions.put((String) row.getField(TableNames.TRAJECTORY_ID), (Long) row.getField(TableNames.VERSION));
      if (earlier != null) {
        throw new AssertionError("trajectory " + row.getField(TableNames.TRAJECTORY_ID) + " has two rows");
      }
    }
    return versions;
  }

  public static Table table(Catalog catalog, String namespace, String name) {
    return catalog.loadTable(org.apache.iceberg.catalog.TableIdentifier.of(namespace, name));
  }

  /** Walking the history from the first snapshot, each partition's ranges start where the previous one ended. */
  public static void assertContiguousRanges(Table table, String topic) {
    table.refresh();
    List<Snapshot> history = new ArrayList<>();
    Snapshot s = table.currentSnapshot();
    for (; s != null; s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
      history.add(0, s);
    }
    SortedMap<Integer, Long> next = new TreeMap<>();
    for (Snapshot snapshot : history) {
      if (!topic.equals(snapshot.summary().get(SinkSummary.TOPIC))) {
        continue;
      }
      Map<Integer, List<Long>> ranges = SinkSummary.ranges(snapshot.summary().get(SinkSummary.OFFSET_RANGES));
      ranges.forEach((partition, range) -> {
        Long expected = next.get(partition);
        if (expected != null) {
          assertThat(range.get(0)).as("partition %d of snapshot %d", partition, snapshot.snapshotId())
              .isEqualTo(expected);
        }
        next.put(partition, range.get(1));
      });
    }
    assertThat(next).isNotEmpty();
  }
}
