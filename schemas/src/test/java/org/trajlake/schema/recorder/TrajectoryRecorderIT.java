package org.trajlake.schema.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trajlake.schema.StepKind;
import org.trajlake.schema.Topic;
import org.trajlake.schema.Topics;
import org.trajlake.schema.TrajectoryEvent;
import org.trajlake.schema.TrajectoryStatus;
import org.trajlake.schema.provision.SchemaProvisioner;
import org.trajlake.schema.provision.TopicProvisioner;
import org.trajlake.schema.registry.HttpSchemaRegistry;
import org.trajlake.schema.serde.AvroSerdeConfig;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;
import org.trajlake.testkit.TestKafka;

/** An agent recording trajectories through a real broker and registry, as the recorder's javadoc shows. */
@RealServers({Component.KAFKA, Component.REGISTRY})
class TrajectoryRecorderIT {
  private Endpoints servers;
  private String prefix;
  private Topic<String, TrajectoryEvent> events;

  @BeforeEach
  void provision(Endpoints servers) {
    this.servers = servers;
    // The way `trajlake up` prepares a cluster, under a prefix of this test's own.
    this.prefix = TestKafka.uniquePrefix("recorder");
    Topics topics = Topics.create(prefix, Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, servers.registryUrl()));
    try (Admin admin = TestKafka.admin(servers.bootstrapServers())) {
      new TopicProvisioner(admin).provision(topics.all());
    }
    new SchemaProvisioner(HttpSchemaRegistry.builder(servers.registryUrl()).build()).provision(topics.all());
    this.events = topics.events();
  }

  @Test
  void aRecordedTrajectoryArrivesOnOnePartitionInSeqOrderOnceTheRecorderIsClosed() {
    // Given a recorder made from plain settings, whose producer would hold records for 10 s on its own
    Map<String, Object> config =
        Map.of(
            RecorderConfig.BOOTSTRAP_SERVERS, servers.bootstrapServers(),
            AvroSerdeConfig.SCHEMA_REGISTRY_URL, servers.registryUrl(),
            RecorderConfig.WORKSPACE, "team-a",
            RecorderConfig.AGENT_ID, "coder@1.4.2",
            RecorderConfig.TOPIC_PREFIX, prefix,
            RecorderConfig.PRODUCER_PREFIX + "linger.ms", 10_000);

    // When an agent records a trajectory with a tool call and its result, interleaved with a second
    // trajectory, and closes the recorder without flushing
    String trajectoryId;
    String callId;
    try (TrajectoryRecorder recorder = TrajectoryRecorder.create(config)) {
      TrajectoryHandle trajectory = recorder.begin("fix-issue-42");
      TrajectoryHandle other = recorder.begin("write-docs");
      trajectoryId = trajectory.trajectoryId();
      trajectory.observe("The test fails with a NullPointerException");
      other.observe("README is out of date");
      trajectory.think("The config map is null when no file is given");
      callId = trajectory.toolCall("bash", "{\"cmd\":\"mvn test\"}");
      other.act("rewrote the quick start");
      trajectory.toolResult(callId, "BUILD SUCCESS", false);
      trajectory.message("Fixed: the config now defaults to an empty map");
      trajectory.reward(0.5);
      other.end(TrajectoryStatus.FAILURE);
      trajectory.end(TrajectoryStatus.SUCCESS);
    }

    // Then the trajectory's events are all there, on one partition, keyed by its id, in seq order
    // 0..n-1, with unique event ids, the recorder's workspace and agent, and its steps as recorded
    List<ConsumerRecord<String, TrajectoryEvent>> records = readAll(10);
    List<ConsumerRecord<String, TrajectoryEvent>> mine =
        records.stream()
            .filter(record -> trajectoryId.equals(record.key()))
            .sorted(Comparator.comparingLong(ConsumerRecord::offset))
            .toList();
    assertThat(mine).hasSize(7);
    assertThat(mine).extracting(ConsumerRecord::partition).containsOnly(mine.get(0).partition());
    List<TrajectoryEvent> steps = mine.stream().map(ConsumerRecord::value).toList();
    assertThat(steps).extracting(TrajectoryEvent::getSeq).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(steps).extracting(TrajectoryEvent::getKind).containsExactly(
        StepKind.OBSERVATION, StepKind.THOUGHT, StepKind.TOOL_CALL, StepKind.TOOL_RESULT,
        StepKind.MESSAGE, StepKind.REWARD, StepKind.END);
    assertThat(steps).allSatisfy(step -> {
      assertThat(step.getTrajectoryId()).isEqualTo(trajectoryId);
      assertThat(step.getWorkspace()).isEqualTo("team-a");
      assertThat(step.getAgentId()).isEqualTo("coder@1.4.2");
      assertThat(step.getTaskId()).isEqualTo("fix-issue-42");
    });
    assertThat(records.stream().map(r -> r.value().getEventId()).collect(Collectors.toSet())).hasSize(records.size());
    assertThat(steps.get(2).getToolCall().getCallId()).isEqualTo(callId);
    assertThat(steps.get(2).getToolCall().getArguments()).isEqualTo("{\"cmd\":\"mvn test\"}");
    assertThat(steps.get(3).getToolResult().getCallId()).isEqualTo(callId);
    assertThat(steps.get(3).getToolResult().getOutput()).isEqualTo("BUILD SUCCESS");
    assertThat(steps.get(5).getReward()).isEqualTo(0.5);
    assertThat(steps.get(6).getStatus()).isEqualTo(TrajectoryStatus.SUCCESS);
    assertThat(records.stream().map(ConsumerRecord::key).collect(Collectors.toSet()))
        .hasSize(2).contains(trajectoryId);
  }

  /** Every event on the events topic, decoded with the topic's own serde; waits for at least {@code count}. */
  private List<ConsumerRecord<String, TrajectoryEvent>> readAll(int count) {
    try (KafkaConsumer<String, TrajectoryEvent> consumer =
        TestKafka.consumerFromStart(servers.bootstrapServers(), events.name(),
            events.keySerde().deserializer(), events.valueSerde().deserializer())) {
      List<ConsumerRecord<String, TrajectoryEvent>> records = TestKafka.readAtLeast(consumer, count);
      assertThat(records).as("events on %s", events.name()).hasSize(count);
      return records;
    }
  }
}
