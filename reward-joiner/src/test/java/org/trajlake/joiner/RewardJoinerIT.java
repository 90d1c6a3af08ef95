package org.trajlake.joiner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.trajlake.joiner.Records.outcome;
import static org.trajlake.joiner.Records.trajectory;

import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlake.runtime.DeadLetter;
import org.trajlake.runtime.RunningService;
import org.trajlake.runtime.Settings;
import org.trajlake.schema.LabelStatus;
import org.trajlake.schema.Outcome;
import org.trajlake.schema.RewardedTrajectory;
import org.trajlake.schema.Topic;
import org.trajlake.schema.Topics;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.provision.SchemaProvisioner;
import org.trajlake.schema.provision.TopicProvisioner;
import org.trajlake.schema.registry.HttpSchemaRegistry;
import org.trajlake.schema.serde.AvroSerdeConfig;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;

/**
 * The joiner against the real broker and registry of the local stack, under exactly-once: what a
 * read_committed consumer of the rewarded topic sees is every version of every trajectory, once,
 * in order, ending at the expected reward and label.
 */
@RealServers({Component.KAFKA, Component.REGISTRY})
class RewardJoinerIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final int TRAJECTORIES = 30;

  @TempDir
  Path stateDir;
  @TempDir
  Path configDir;
  private Endpoints servers;
  private String prefix;
  private Topics topics;

  @BeforeEach
  void provision(Endpoints servers) {
    this.servers = servers;
    // The way `trajlake up` prepares a cluster (6 partitions each), under a prefix of this test's own.
    this.prefix = "it.joiner." + System.nanoTime() + ".";
    this.topics = Topics.create(prefix, Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, servers.registryUrl()));
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers.bootstrapServers()))) {
      new TopicProvisioner(admin).provision(topics.all());
    }
    new SchemaProvisioner(HttpSchemaRegistry.builder(servers.registryUrl()).build()).provision(topics.all());
  }

  @Test
  void everyTrajectoryEndsAtItsExpectedVersionWithNoVersionRepeatedOrMissing() {
    // Given the joiner running in-process, with a settle timeout of 3 s
    Map<String, String> settings = settings(Map.of());
    List<String> ids = ids("run");
    try (RunningService joiner = JoinerApp.start(JoinerConfig.from(Settings.of(settings)))) {
      // When outcomes arrive before their trajectories for a third of them ("early"),
      List<Outcome> early = new ArrayList<>();
      forGroup(ids, 1, id -> early.add(outcome(id + "-tests", id, "tests_passed", 1.0)));
      produce(topics.outcomes(), early, Outcome::getTrajectoryId);
      awaitProcessed(joiner, topics.outcomes(), early.size());

      // then every trajectory arrives,
      List<Trajectory> trajectories = ids.stream().map(Records::trajectory).toList();
      produce(topics.trajectories(), trajectories, Trajectory::getTrajectoryId);
      awaitProcessed(joiner, topics.trajectories(), trajectories.size());

      // then late outcomes for two thirds, a repeated outcome id and a record that is not Avro,
      // while the last third gets no outcome at all
      List<Outcome> late = new ArrayList<>();
      forGroup(ids, 0, id -> {
        late.add(outcome(id + "-tests", id, "tests_passed", 1.0));
        late.add(outcome(id + "-merge", id, "pr_merged", 1.0));
        late.add(outcome(id + "-tests", id, "tests_passed", 1.0));
      });
      forGroup(ids, 1, id -> late.add(outcome(id + "-merge", id, "pr_merged", 0.0)));
      produce(topics.outcomes(), late, Outcome::getTrajectoryId);
      produceRaw(topics.outcomes().name(), ids.get(0), "not avro");

      // Then each trajectory's versions are 1..n exactly once, ending at the expected label and reward
      Map<String, Expected> expected = new LinkedHashMap<>();
      forGroup(ids, 0, id -> expected.put(id, new Expected(2, LabelStatus.LABELED, 0.8)));
      forGroup(ids, 1, id -> expected.put(id, new Expected(2, LabelStatus.LABELED, 0.3)));
      forGroup(ids, 2, id -> expected.put(id, new Expected(1, LabelStatus.UNLABELED, null)));
      assertFinalVersions(expected);

      // And the bad record is on the dead-letter topic with its reason
      List<ConsumerRecord<byte[], byte[]>> dead = readUntil(topics.deadLetters(), records -> !records.isEmpty());
      assertThat(dead).hasSize(1);
      assertThat(DeadLetter.from(dead.get(0).headers()).orElseThrow().reason()).isEqualTo("no-magic-byte");
      assertThat(counter(joiner, "trajlake.duplicates", topics.outcomes().name())).isEqualTo(TRAJECTORIES / 3.0);
    }
  }

  @Test
  void aJoinerKilledMidStreamResumesWithoutARepeatedOrMissingVersion() throws Exception {
    // Given the joiner as its own process (its main), with every trajectory at rewarded version 1
    Path config = writeConfig(settings(Map.of(JoinerConfig.METRICS_PORT, "-1")));
    List<String> ids = ids("kill");
    Process first = startProcess(config, "first");
    Thread trickle;
    try {
      produce(topics.trajectories(), ids.stream().map(Records::trajectory).toList(), Trajectory::getTrajectoryId);
      produce(topics.outcomes(), ids.stream().map(id -> outcome(id + "-1", id, "rating", 1.0)).toList(),
          Outcome::getTrajectoryId);
      assertFinalVersions(ids.stream().collect(Collectors.toMap(id -> id, id -> new Expected(1, LabelStatus.PARTIAL, null))));

      // When the next outcomes trickle in, one every 100 ms, and the process is killed without a
      // clean shutdown (SIGKILL: no commit, an open transaction) as soon as the first is committed
      trickle = new Thread(() -> ids.forEach(id -> {
        produce(topics.outcomes(), List.of(outcome(id + "-2", id, "tests_passed", 1.0)), Outcome::getTrajectoryId);
        sleep(100);
      }), "trickle");
      trickle.start();
      readUntil(topics.rewardedTrajectories(), seen -> seen.stream().anyMatch(r -> r.value().getVersion() == 2),
          Duration.ZERO);
    } finally {
      first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    // and the rest of them, then a third outcome each, are written while it is down, and it is
    // restarted on the same state dir
    trickle.join(TIMEOUT.toMillis());
    produce(topics.outcomes(), ids.stream().map(id -> outcome(id + "-3", id, "pr_merged", 1.0)).toList(),
        Outcome::getTrajectoryId);
    Process second = startProcess(config, "second");
    try {
      // Then every trajectory ends at version 3, each version seen once
      assertFinalVersions(ids.stream().collect(Collectors.toMap(id -> id, id -> new Expected(3, LabelStatus.LABELED, 0.8))));
    } finally {
      second.destroy(); // SIGTERM: the clean shutdown of main
      second.waitFor(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void inputsWithDifferentPartitionCountsAreRefusedBeforeStarting() throws Exception {
    // Given inputs that cannot be co-partitioned: 2 partitions of trajectories, 3 of outcomes
    String other = prefix + "uneven.";
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(other + "trajectories", 2, (short) 1),
          new NewTopic(other + "outcomes", 3, (short) 1))).all().get();
    }
    Map<String, String> settings = settings(Map.of());
    settings.put(JoinerConfig.TOPIC_PREFIX, other);

    // When the joiner starts, then it refuses, naming both topics and their counts
    assertThatThrownBy(() -> JoinerApp.start(JoinerConfig.from(Settings.of(settings))).close())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(other + "trajectories has 2 partitions")
        .hasMessageContaining(other + "outcomes has 3")
        .hasMessageContaining("co-partitioned");
  }

  private record Expected(long version, LabelStatus label, Double reward) {}

  private Map<String, String> settings(Map<String, String> more) {
    Map<String, String> settings = new HashMap<>(more);
    settings.put(JoinerConfig.BOOTSTRAP_SERVERS, servers.bootstrapServers());
    settings.put(JoinerConfig.SCHEMA_REGISTRY_URL, servers.registryUrl());
    settings.put(JoinerConfig.TOPIC_PREFIX, prefix);
    settings.put(JoinerConfig.APPLICATION_ID, prefix + "joiner");
    settings.put(JoinerConfig.STATE_DIR, stateDir.toString());
    settings.putIfAbsent(JoinerConfig.METRICS_PORT, "0");
    settings.put(JoinerConfig.SETTLE_TIMEOUT_MS, "3000");
    settings.put(JoinerConfig.PUNCTUATE_INTERVAL_MS, "200");
    // A killed instance is noticed after 6 s (the broker's minimum) instead of 45 s.
    settings.put("streams.session.timeout.ms", "6000");
    return settings;
  }

  private List<String> ids(String run) {
    return IntStream.range(0, TRAJECTORIES).mapToObj(i -> run + "-" + i).toList();
  }

  /** Runs {@code action} for every id whose index is {@code group} modulo 3. */
  private static void forGroup(List<String> ids, int group, Consumer<String> action) {
    for (int i = group; i < ids.size(); i += 3) {
      action.accept(ids.get(i));
    }
  }

  private <V> void produce(Topic<String, V> topic, List<V> values, Function<V, String> key) {
    try (KafkaProducer<String, V> producer = new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
        topic.keySerde().serializer(), topic.valueSerde().serializer())) {
      for (V value : values) {
        producer.send(new ProducerRecord<>(topic.name(), key.apply(value), value));
      }
      producer.flush();
    }
  }

  private void produceRaw(String topic, String key, String value) {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.bootstrapServers()),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, JoinerDriver.utf8(key), JoinerDriver.utf8(value))).get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("cannot write to " + topic, e);
    }
  }

  /** Waits until the joiner has read {@code count} records of {@code topic}, so what comes next is later. */
  private static void awaitProcessed(RunningService joiner, Topic<?, ?> topic, int count) {
    await().atMost(TIMEOUT).until(() -> counter(joiner, "trajlake.records.in", topic.name()) >= count);
  }

  private static double counter(RunningService joiner, String name, String topic) {
    Counter counter = joiner.registry().find(name).tag("topic", topic).counter();
    return counter == null ? 0 : counter.count();
  }

  /**
   * Reads the rewarded topic (read_committed) until every trajectory reached its expected version,
   * then a little longer to catch an extra version, and checks each trajectory's versions are
   * 1..n in order with the expected final label and reward.
   */
  private void assertFinalVersions(Map<String, Expected> expected) {
    List<ConsumerRecord<String, RewardedTrajectory>> records = readUntil(topics.rewardedTrajectories(), seen -> {
      Map<String, Long> highest = new HashMap<>();
      seen.forEach(r -> highest.merge(r.key(), r.value().getVersion(), Math::max));
      return expected.entrySet().stream()
          .allMatch(e -> highest.getOrDefault(e.getKey(), 0L) >= e.getValue().version());
    });
    Map<String, List<RewardedTrajectory>> byId = records.stream()
        .filter(r -> expected.containsKey(r.key()))
        .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.mapping(ConsumerRecord::value, Collectors.toList())));
    expected.forEach((id, want) -> {
      List<RewardedTrajectory> versions = byId.getOrDefault(id, List.of());
      assertThat(versions).as("versions of %s", id).extracting(RewardedTrajectory::getVersion)
          .containsExactlyElementsOf(oneTo(want.version()));
      RewardedTrajectory last = versions.get(versions.size() - 1);
      assertThat(last.getLabelStatus()).as("label of %s", id).isEqualTo(want.label());
      if (want.reward() == null) {
        assertThat(last.getReward()).as("reward of %s", id).isNull();
      } else {
        assertThat(last.getReward()).as("reward of %s", id).isCloseTo(want.reward(), within(1e-9));
      }
      assertThat(last.getTrajectory()).isEqualTo(trajectory(id));
    });
  }

  /** Every record of {@code topic} from the start, read_committed, once {@code done} holds (and 2 s more). */
  private <K, V> List<ConsumerRecord<K, V>> readUntil(Topic<K, V> topic, Predicate<List<ConsumerRecord<K, V>>> done) {
    return readUntil(topic, done, Duration.ofSeconds(2));
  }

  /** Every record of {@code topic} from the start, read_committed, once {@code done} holds and {@code drain} passed. */
  private <K, V> List<ConsumerRecord<K, V>> readUntil(Topic<K, V> topic, Predicate<List<ConsumerRecord<K, V>>> done,
      Duration drain) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(),
        topic.valueSerde().deserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), TIMEOUT).stream()
          .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      List<ConsumerRecord<K, V>> records = new ArrayList<>();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (!done.test(records) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      long drainEnd = System.nanoTime() + drain.toNanos();
      while (System.nanoTime() < drainEnd) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }

  private Path writeConfig(Map<String, String> settings) {
    Path file = configDir.resolve("joiner.properties");
    Properties props = new Properties();
    props.putAll(settings);
    try (Writer out = Files.newBufferedWriter(file)) {
      props.store(out, "RewardJoinerIT");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** The joiner's main in a JVM of its own, logging to target/. */
  private Process startProcess(Path config, String name) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Path log = Path.of("target", "joiner-" + prefix + name + ".log");
    return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        JoinerApp.class.getName(), "--config", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static List<Long> oneTo(long n) {
    return LongStream.rangeClosed(1, n).boxed().toList();
  }
}
