package org.trajlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.trajlake.stack.Component;
import org.trajlake.stack.ComponentStatus;
import org.trajlake.stack.Endpoints;
import org.trajlake.stack.LocalStack;
import org.trajlake.stack.StackConfig;
import org.trajlake.testkit.FreshStackConfig;

/**
 * {@code trajlake up}, {@code up} again, {@code down}, {@code up}: the real servers start once, topics,
 * schemas, catalog tables and records survive the restart. The steps build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpDownUpIT {
  private static final List<String> TOPICS = List.of("trajlake.events", "trajlake.outcomes", "trajlake.trajectories",
      "trajlake.trajectories.rewarded", "trajlake.outcomes.orphaned", "trajlake.dlq");
  private static final List<String> SUBJECTS = List.of("trajlake.events-value", "trajlake.outcomes-value",
      "trajlake.trajectories-value", "trajlake.trajectories.rewarded-value", "trajlake.outcomes.orphaned-value");
  private static final TableIdentifier TABLE = TableIdentifier.of("trajlake", "survives_restart");

  private static List<String> args;
  private static LocalStack stack;
  private static List<Long> firstPids;
  private static String firstSubjects;

  @BeforeAll
  static void chooseDataDirAndPorts() {
    StackConfig config = FreshStackConfig.builder("cli").build();
    args = new ArrayList<>(FreshStackConfig.flags(config));
    args.add("--stop-with-parent");
    stack = new LocalStack(config);
  }

  @AfterAll
  static void stopEverything() {
    stack.down();
  }

  @Test
  @Order(1)
  void upStartsEveryServerCreatesTopicsAndRegistersSchemas() throws Exception {
    // When `trajlake up` runs on an empty data dir
    CliRun run = CliRun.of(command("up"));

    // Then every component is healthy, reported in a table with pids and addresses
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("kafka      ").contains("healthy").contains("Ready in");
    List<ComponentStatus> status = stack.status();
    assertThat(status).allMatch(ComponentStatus::healthy);
    firstPids = pids(status);

    // And the topics exist with 6 partitions and the cleanup policy the design gives them
    Endpoints endpoints = stack.endpoints();
    try (Admin admin = admin(endpoints)) {
      Map<String, TopicDescription> topics = admin.describeTopics(TOPICS).allTopicNames().get();
      assertThat(topics.values()).allMatch(topic -> topic.partitions().size() == 6);
      assertThat(cleanupPolicy(admin, "trajlake.trajectories")).isEqualTo("compact");
      assertThat(cleanupPolicy(admin, "trajlake.trajectories.rewarded")).isEqualTo("compact");
      assertThat(cleanupPolicy(admin, "trajlake.events")).isEqualTo("delete");
    }

    // And every Avro topic's value schema is registered under the topic-name strategy
    firstSubjects = get(endpoints.registryUrl() + "/subjects");
    assertThat(firstSubjects).contains(SUBJECTS);
  }

  @Test
  @Order(2)
  void upAgainStartsNothingTwice() {
    // When `trajlake up` runs while everything runs
    CliRun run = CliRun.of(command("up"));

    // Then it succeeds, the same processes still serve, and no topic was created again
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(pids(stack.status())).isEqualTo(firstPids);
    assertThat(run.out()).contains("created: none");
  }

  @Test
  @Order(3)
  void downStopsEveryServerAndStatusSaysSo() throws Exception {
    // Given a record in a topic and a table in the catalog
    Endpoints endpoints = stack.endpoints();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(
        Map.of("bootstrap.servers", endpoints.bootstrapServers(), "acks", "all"), new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>("trajlake.dlq", "kept", "across restarts")).get();
    }
    Catalog catalog = endpoints.openIcebergCatalog();
    try {
      catalog.createTable(TABLE, new Schema(Types.NestedField.required(1, "trajectory_id", Types.StringType.get())));
    } finally {
      ((AutoCloseable) catalog).close();
    }

    // When `trajlake down` runs
    CliRun down = CliRun.of(command("down"));

    // Then every server process is gone and `status` reports them stopped
    assertThat(down.exitCode()).isZero();
    assertThat(down.out()).contains("stopped opensearch, registry, kafka");
    for (long pid : firstPids) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %d alive", pid).isFalse();
    }
    CliRun status = CliRun.of(command("status"));
    assertThat(status.exitCode()).isEqualTo(StatusCommand.NOT_ALL_HEALTHY);
    assertThat(status.out()).contains("stopped");
  }

  @Test
  @Order(4)
  void upAfterDownKeepsTopicsSchemasRecordsAndTables() throws Exception {
    // When `trajlake up` runs again over the same data dir
    CliRun run = CliRun.of(command("up"));

    // Then new processes serve the same data: nothing was created again
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("created: none");
    assertThat(pids(stack.status())).doesNotContainAnyElementsOf(firstPids);
    Endpoints endpoints = stack.endpoints();

    // And the schemas kept their subjects and ids
    assertThat(get(endpoints.registryUrl() + "/subjects")).isEqualTo(firstSubjects);
    assertThat(run.out()).doesNotContain("(registered now)");

    // And the record written before the restart is still there
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "up-down-up",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of("trajlake.dlq"));
      List<ConsumerRecord<String, String>> records = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (records.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
      assertThat(records).extracting(ConsumerRecord::value).containsExactly("across restarts");
    }

    // And the catalog still has the table
    Catalog catalog = endpoints.openIcebergCatalog();
    try {
      assertThat(catalog.tableExists(TABLE)).isTrue();
    } finally {
      ((AutoCloseable) catalog).close();
    }
  }

  /** {@code up} gets every flag; {@code down} and {@code status} only the data dir, which remembers the rest. */
  private static String[] command(String name) {
    List<String> argv = new ArrayList<>();
    argv.add(name);
    argv.addAll(name.equals("up") ? args : args.subList(0, 1));
    return argv.toArray(String[]::new);
  }

  private static List<Long> pids(Collection<ComponentStatus> status) {
    return status.stream().filter(s -> s.component() != Component.ICEBERG)
        .map(s -> s.pid().orElseThrow()).toList();
  }

  private static Admin admin(Endpoints endpoints) {
    return Admin.create(Map.of("bootstrap.servers", endpoints.bootstrapServers()));
  }

  private static String cleanupPolicy(Admin admin, String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    Config config = admin.describeConfigs(Set.of(resource)).all().get().get(resource);
    return config.get("cleanup.policy").value();
  }

  private static String get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
