package org.trajlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.trajlake.schema.LabelStatus;
import org.trajlake.schema.Outcome;
import org.trajlake.schema.RewardedTrajectory;
import org.trajlake.schema.Topics;
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

/**
 * ingest-streams and reward-joiner as users run them ({@code bin/trajlake run ingest|joiner}), each
 * killed with SIGKILL mid-stream and restarted on its state: every trajectory still ends labelled,
 * and its rewarded versions are 1, 2, ... with none repeated and none missing.
 */
@RealServers({Component.KAFKA, Component.REGISTRY})
class StreamsCrashIT {
  private static final Path TRAJLAKE = Path.of("target", "trajlake", "bin", "trajlake").toAbsolutePath();
  private static final int WAVES = 4;
  private static final int PER_WAVE = 25;

  @Test
  void killedServicesResumeWithoutDuplicateOrMissingVersions(Endpoints servers) throws Exception {
    // Given the topics and both services running from the distribution
    String prefix = TestKafka.uniquePrefix("crash");
    Topics topics = provision(servers, prefix);
    Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "crash-");
    Service ingest = Service.start("ingest", servers, prefix, work);
    Service joiner = Service.start("joiner", servers, prefix, work);
    try (TrajectoryRecorder recorder = TrajectoryRecorder.create(Map.of("bootstrap.servers", servers.bootstrapServers(),
        "schema.registry.url", servers.registryUrl(), "workspace", "team-crash", "agent.id", "coder@crash",
        "topic.prefix", prefix));
        KafkaProducer<String, Outcome> outcomes = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
            new StringSerializer(), topics.outcomes().valueSerde().serializer())) {

      // When trajectories and their two outcomes keep coming in waves, and between waves one
      // service after the other is killed with SIGKILL and started again on the same state dir
      for (int wave = 0; wave < WAVES; wave++) {
        for (int i = 0; i < PER_WAVE; i++) {
          String id = "crash-" + wave + "-" + i;
          record(recorder.begin(id, "task-" + i));
          outcomes.send(new ProducerRecord<>(topics.outcomes().name(), id, outcome(id, "tests_passed", 1.0)));
        }
        recorder.flush();
        for (int i = 0; i < PER_WAVE; i++) {
          String id = "crash-" + wave + "-" + i;
          outcomes.send(new ProducerRecord<>(topics.outcomes().name(), id, outcome(id, "pr_merged", 1.0)));
        }
        outcomes.flush();
        if (wave % 2 == 0) {
          ingest = ingest.killAndRestart();
        } else {
          joiner = joiner.killAndRestart();
        }
      }

      // Then every trajectory reaches LABELED with both outcomes and reward 0.8 (0.3 + 0.5) ...
      int expected = WAVES * PER_WAVE;
      Map<String, List<RewardedTrajectory>> versions = readUntilLabeled(servers, topics, expected);
      assertThat(versions).hasSize(expected);
      versions.forEach((id, emitted) -> {
        RewardedTrajectory last = emitted.get(emitted.size() - 1);
        assertThat(last.getLabelStatus()).as(id).isEqualTo(LabelStatus.LABELED);
        assertThat(last.getReward()).as(id).isEqualTo(0.8, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(last.getOutcomes()).as(id).hasSize(2);
        assertThat(last.getTrajectory().getSteps()).as(id).hasSize(5);
        // ... and its versions, in partition order, are exactly 1..n: none repeated, none missing
        List<Long> numbers = emitted.stream().map(RewardedTrajectory::getVersion).toList();
        List<Long> oneToN = new ArrayList<>();
        for (long v = 1; v <= numbers.size(); v++) {
          oneToN.add(v);
        }
        assertThat(numbers).as(id).isEqualTo(oneToN);
      });
    } finally {
      ingest.stop();
      joiner.stop();
    }
  }

  private static void record(TrajectoryHandle trajectory) {
    trajectory.observe("the build is red");
    String call = trajectory.toolCall("bash", "{\"cmd\":\"mvn -q test\"}");
    trajectory.toolResult(call, "Tests run: 12, Failures: 0", false);
    trajectory.message("fixed the flaky test");
    trajectory.end(TrajectoryStatus.SUCCESS);
  }

  private static Outcome outcome(String trajectoryId, String kind, double value) {
    return Outcome.newBuilder().setOutcomeId(trajectoryId + "-" + kind).setTrajectoryId(trajectoryId)
        .setWorkspace("team-crash").setKind(kind).setValue(value).setTs(Instant.now()).setSource("crash-it")
        .setAttributes(Map.of()).build();
  }

  /** Reads the rewarded topic (read_committed) until every trajectory is LABELED or a deadline passes. */
  private static Map<String, List<RewardedTrajectory>> readUntilLabeled(Endpoints servers, Topics topics, int expected) {
    Map<String, List<RewardedTrajectory>> byId = new TreeMap<>();
    try (KafkaConsumer<String, RewardedTrajectory> consumer = TestKafka.consumerFromStart(servers.bootstrapServers(),
        topics.rewardedTrajectories().name(), new StringDeserializer(), topics.rewardedTrajectories().valueSerde().deserializer())) {
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (System.nanoTime() < deadline && labeled(byId) < expected) {
        for (ConsumerRecord<String, RewardedTrajectory> record : consumer.poll(Duration.ofMillis(500))) {
          byId.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.value());
        }
      }
      // A last look for anything emitted twice after the last label.
      consumer.poll(Duration.ofSeconds(2)).forEach(record ->
          byId.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.value()));
    }
    return byId;
  }

  private static long labeled(Map<String, List<RewardedTrajectory>> byId) {
    return byId.values().stream()
        .filter(versions -> versions.get(versions.size() - 1).getLabelStatus() == LabelStatus.LABELED).count();
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

  /** One {@code bin/trajlake run <name>} process. */
  private record Service(String name, List<String> command, Path log, Process process) {
    static Service start(String name, Endpoints servers, String prefix, Path work) throws IOException {
      List<String> command = new ArrayList<>(List.of(TRAJLAKE.toString(), "run", name));
      Map<String, String> settings = new HashMap<>();
      settings.put("bootstrap.servers", servers.bootstrapServers());
      settings.put("schema.registry.url", servers.registryUrl());
      settings.put("topic.prefix", prefix);
      settings.put("application.id", prefix + name);
      settings.put("state.dir", work.resolve(name).toString());
      settings.put("metrics.port", "0");
      settings.forEach((key, value) -> {
        command.add("--set");
        command.add(key + "=" + value);
      });
      return launch(name, command, work.resolve(name + ".log"));
    }

    private static Service launch(String name, List<String> command, Path log) throws IOException {
      long runningBefore = runningLines(log);
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      Service service = new Service(name, command, log, process);
      service.awaitRunning(runningBefore);
      return service;
    }

    Service killAndRestart() throws IOException {
      process.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close, no final commit
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return launch(name, command, log);
    }

    void stop() {
      process.destroy();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Waits for the "is running" line this start prints (the log is appended across restarts). */
    private void awaitRunning(long runningBefore) throws IOException {
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new AssertionError(name + " exited: " + Files.readString(log, StandardCharsets.UTF_8));
        }
        if (runningLines(log) > runningBefore) {
          return;
        }
        sleep();
      }
      throw new AssertionError(name + " did not report running: " + Files.readString(log, StandardCharsets.UTF_8));
    }

    private static long runningLines(Path log) throws IOException {
      return Files.exists(log)
          ? Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(line -> line.contains(" is running")).count()
          : 0;
    }

    private static void sleep() {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
