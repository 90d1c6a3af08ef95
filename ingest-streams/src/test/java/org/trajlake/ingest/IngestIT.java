package org.trajlake.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.trajlake.runtime.DeadLetter;
import org.trajlake.runtime.RunningService;
import org.trajlake.schema.Step;
import org.trajlake.schema.Topics;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.TrajectoryStatus;
import org.trajlake.schema.provision.SchemaProvisioner;
import org.trajlake.schema.provision.TopicProvisioner;
import org.trajlake.schema.recorder.TrajectoryHandle;
import org.trajlake.schema.recorder.TrajectoryRecorder;
import org.trajlake.schema.registry.HttpSchemaRegistry;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;
import org.trajlake.testkit.TestKafka;

/** ingest-streams against the real broker and registry, fed by the TrajectoryRecorder agents use. */
@RealServers({Component.KAFKA, Component.REGISTRY})
class IngestIT {

  @Test
  void recordedTrajectoriesComeOutAssembledAndBadRecordsGoToTheDeadLetterTopic(Endpoints servers) throws Exception {
    // Given provisioned topics and a running ingest-streams
    String prefix = TestKafka.uniquePrefix("ingest");
    Topics topics = provision(servers, prefix);
    try (RunningService ingest = IngestApp.start(config(servers, prefix, "a"))) {

      // When agents record 30 trajectories of 7 steps, and something writes garbage
      try (TrajectoryRecorder recorder = recorder(servers, prefix)) {
        for (int i = 0; i < 30; i++) {
          record(recorder.begin("it-" + i, "task-" + (i % 3)));
        }
      }
      TestKafka.produceRaw(servers.bootstrapServers(), topics.events().name(), "it-0", new byte[] {1, 2, 3});

      // Then every trajectory is read back (read_committed) whole and in order, once
      List<Trajectory> trajectories = readTrajectories(servers, topics, 30);
      assertThat(trajectories).hasSize(30);
      assertThat(trajectories).extracting(Trajectory::getTrajectoryId).doesNotHaveDuplicates();
      assertThat(trajectories).allSatisfy(t -> {
        assertThat(t.getSteps()).extracting(Step::getSeq).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(t.getStatus()).isEqualTo(TrajectoryStatus.SUCCESS);
        assertThat(t.getVersion()).isEqualTo(1);
      });

      // And the garbage is in the dead-letter topic with its reason
      try (KafkaConsumer<byte[], byte[]> dlq = TestKafka.consumerFromStart(servers.bootstrapServers(),
          topics.deadLetters().name(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        List<ConsumerRecord<byte[], byte[]>> dead = TestKafka.readAtLeast(dlq, 1);
        assertThat(dead).singleElement().satisfies(r ->
            assertThat(DeadLetter.from(r.headers()).orElseThrow().reason()).isEqualTo("no-magic-byte"));
      }

      // And the Prometheus endpoint counts what went through
      String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + ingest.metricsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics).contains("trajlake_records_in_total").contains("trajlake_dlq_total{reason=\"no-magic-byte\"")
          .contains("trajlake_e2e_latency_seconds").contains("kafka_consumer_fetch_manager_records_lag");
    }
  }

  @Test
  void twoInstancesShareThePartitionsAndEachTrajectoryComesOutOnce(Endpoints servers) throws Exception {
    // Given two instances with the same application id
    String prefix = TestKafka.uniquePrefix("ingest-scale");
    Topics topics = provision(servers, prefix);
    try (RunningService first = IngestApp.start(config(servers, prefix, "first"));
        RunningService second = IngestApp.start(config(servers, prefix, "second"))) {

      // When the group has settled, each holds some of the six partitions and together all of them
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
          !first.assignedPartitions().isEmpty() && !second.assignedPartitions().isEmpty()
              && first.assignedPartitions().size() + second.assignedPartitions().size() == 6);
      Set<TopicPartition> union = new HashSet<>(first.assignedPartitions());
      union.addAll(second.assignedPartitions());
      assertThat(union).hasSize(6);

      // And 40 trajectories are recorded
      try (TrajectoryRecorder recorder = recorder(servers, prefix)) {
        for (int i = 0; i < 40; i++) {
          record(recorder.begin("scale-" + i, null));
        }
      }

      // Then each comes out exactly once
      List<Trajectory> trajectories = readTrajectories(servers, topics, 40);
      assertThat(trajectories).hasSize(40);
      assertThat(trajectories).extracting(Trajectory::getTrajectoryId).doesNotHaveDuplicates();
    }
  }

  private static void record(TrajectoryHandle trajectory) {
    trajectory.observe("CI failed: OrderServiceTest times out");
    trajectory.think("The test waits on the real clock.");
    String call = trajectory.toolCall("edit_file", "{\"path\":\"OrderService.java\"}");
    trajectory.toolResult(call, "1 file changed", false);
    trajectory.act("ran the tests");
    trajectory.message("Fixed: injected a Clock.");
    trajectory.end(TrajectoryStatus.SUCCESS);
  }

  private static Topics provision(Endpoints servers, String prefix) {
    HttpSchemaRegistry registry = HttpSchemaRegistry.builder(servers.registryUrl()).build();
    Topics topics = Topics.create(prefix, registry, false);
    try (Admin admin = TestKafka.admin(servers.bootstrapServers())) {
      new TopicProvisioner(admin).provision(topics.all());
    }
    new SchemaProvisioner(registry).provision(topics.all());
    return topics;
  }

  private static IngestConfig config(Endpoints servers, String prefix, String instance) throws Exception {
    Path stateDir = Files.createTempDirectory("ingest-it-" + instance);
    Map<String, String> values = new HashMap<>();
    values.put(IngestConfig.BOOTSTRAP_SERVERS, servers.bootstrapServers());
    values.put(IngestConfig.SCHEMA_REGISTRY_URL, servers.registryUrl());
    values.put(IngestConfig.TOPIC_PREFIX, prefix);
    values.put(IngestConfig.APPLICATION_ID, prefix + "ingest");
    values.put(IngestConfig.STATE_DIR, stateDir.toString());
    values.put(IngestConfig.METRICS_PORT, "0");
    return new IngestConfig(values);
  }

  private static TrajectoryRecorder recorder(Endpoints servers, String prefix) {
    return TrajectoryRecorder.create(Map.of("bootstrap.servers", servers.bootstrapServers(),
        "schema.registry.url", servers.registryUrl(), "workspace", "team-it", "agent.id", "coder@it",
        "topic.prefix", prefix));
  }

  private static List<Trajectory> readTrajectories(Endpoints servers, Topics topics, int count) {
    try (KafkaConsumer<String, Trajectory> consumer = TestKafka.consumerFromStart(servers.bootstrapServers(),
        topics.trajectories().name(), new StringDeserializer(), topics.trajectories().valueSerde().deserializer())) {
      List<Trajectory> trajectories = new ArrayList<>();
      TestKafka.readAtLeast(consumer, count).forEach(record -> trajectories.add(record.value()));
      return trajectories;
    }
  }
}
