package org.trajlake.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.trajlake.schema.Outcome;
import org.trajlake.schema.Topic;
import org.trajlake.schema.Topics;
import org.trajlake.schema.TrajectoryStatus;
import org.trajlake.schema.recorder.TrajectoryHandle;
import org.trajlake.schema.recorder.TrajectoryRecorder;
import org.trajlake.sink.CatalogSettings;

/**
 * deploy/compose end to end, from the Docker host as an agent sees it: one trajectory written to the
 * 3-broker cluster is recalled over HTTP and, once an outcome rewards it, is a row of the Iceberg table
 * on MinIO. Skipped, saying why, where there is no Docker engine, no `docker compose` or no built
 * distribution for the image.
 */
class ComposeStackIT {
  private static final Path COMPOSE_DIR = Path.of("").toAbsolutePath();
  private static final Path DISTRIBUTION = COMPOSE_DIR.resolve("../cli/target/trajlake/lib").normalize();
  private static final String BOOTSTRAP = "localhost:19092,localhost:19093,localhost:19094";
  private static final String REGISTRY = "http://localhost:8081/apis/ccompat/v7";
  // The dev key of conf/recall.properties.
  private static final String RECALL_KEY = "trajlake-dev-only-recall-key";
  private static final String WORKSPACE = "compose-it";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ComposeContainer stack;
  private static String skipped;

  @BeforeAll
  static void bringTheStackUp() {
    skipped = whyItCannotRun();
    if (skipped != null) {
      return;
    }
    // Local compose: the file builds the image from the repository root, which a containerized compose
    // would not see. Published host ports, so EXTERNAL listeners advertise localhost.
    stack = new ComposeContainer(COMPOSE_DIR.resolve("docker-compose.yml").toFile())
        .withLocalCompose(true)
        .withBuild(true)
        .withRemoveVolumes(true)
        .withStartupTimeout(Duration.ofMinutes(10));
    for (String service : List.of("ingest", "joiner", "indexer", "recall", "sink")) {
      stack.waitingFor(service, Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(10)));
    }
    stack.start();
  }

  /** Each test is reported as skipped, with the reason, rather than vanishing from the report. */
  @BeforeEach
  void needsTheStack() {
    assumeTrue(skipped == null, skipped);
  }

  @AfterAll
  static void takeTheStackDown() {
    if (stack != null) {
      stack.stop();
    }
  }

  @Test
  void aTrajectoryIsRecalledAndLandsInTheIcebergTable() throws Exception {
    // Given a trajectory with a word no other has, written as an agent writes it
    String word = "compose" + UUID.randomUUID().toString().replace("-", "");
    String trajectoryId;
    try (TrajectoryRecorder recorder = TrajectoryRecorder.create(Map.of("bootstrap.servers", BOOTSTRAP,
        "schema.registry.url", REGISTRY, "workspace", WORKSPACE, "agent.id", "compose-it"))) {
      TrajectoryHandle trajectory = recorder.begin("task-" + word);
      trajectoryId = trajectory.trajectoryId();
      trajectory.observe("CI failed in " + word);
      String call = trajectory.toolCall("edit_file", "{\"path\":\"" + word + ".java\"}");
      trajectory.toolResult(call, "1 file changed", false);
      trajectory.end(TrajectoryStatus.SUCCESS).get(60, TimeUnit.SECONDS);
    }

    // When it has been assembled and indexed, Then recall finds it by its word
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
        assertThat(recalledIds(word)).contains(trajectoryId));

    // And when an outcome rewards it (the joiner emits on the first outcome, the sink commits every 10 s)
    send(Outcome.newBuilder().setOutcomeId("o-" + word).setTrajectoryId(trajectoryId).setWorkspace(WORKSPACE)
        .setKind("tests_passed").setValue(1.0).setTs(Instant.now()).setSource("compose-it")
        .setAttributes(Map.of()).build(), trajectoryId);

    // Then it is a row of the training table in the REST catalog, read back through S3FileIO on MinIO
    Catalog catalog = restCatalogOnMinio();
    try {
      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
          assertThat(tableRows(catalog, trajectoryId)).isEqualTo(1));
    } finally {
      if (catalog instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
  }

  private static List<String> recalledIds(String word) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:8090/v1/recall"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + RECALL_KEY)
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
            Map.of("workspace", WORKSPACE, "query", word, "k", 5, "mode", "bm25"))))
        .build();
    HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    JsonNode body = JSON.readTree(response.body());
    // The answer's list of trajectories, whatever its field is called: every trajectory_id in it.
    body.findValues("trajectory_id").forEach(id -> ids.add(id.asText()));
    return ids;
  }

  private static void send(Outcome outcome, String key) throws Exception {
    Topic<String, Outcome> outcomes = Topics.create(Topics.DEFAULT_PREFIX, Map.of("schema.registry.url", REGISTRY))
        .outcomes();
    try (KafkaProducer<String, Outcome> producer = new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP, ProducerConfig.ACKS_CONFIG, "all"),
        outcomes.keySerde().serializer(), outcomes.valueSerde().serializer())) {
      producer.send(new ProducerRecord<>(outcomes.name(), key, outcome)).get(60, TimeUnit.SECONDS);
    }
  }

  /** The catalog the sink writes, as a trainer on the Docker host opens it. */
  private static Catalog restCatalogOnMinio() {
    return CatalogSettings.of(Map.of(
            CatalogSettings.NAME, "trajlake", CatalogSettings.NAMESPACE, "trajlake",
            CatalogSettings.IMPL, "org.apache.iceberg.rest.RESTCatalog",
            CatalogSettings.URI, "http://localhost:8181", CatalogSettings.WAREHOUSE, "s3://warehouse/"),
        Map.of("io-impl", "org.apache.iceberg.aws.s3.S3FileIO", "s3.endpoint", "http://localhost:9000",
            "s3.path-style-access", "true", "s3.access-key-id", "trajlake",
            // The compose file's DEV DEFAULT MinIO secret.
            "s3.secret-access-key", "trajlake-dev-only-secret", "client.region", "us-east-1"))
        .open();
  }

  private static int tableRows(Catalog catalog, String trajectoryId) throws Exception {
    TableIdentifier id = TableIdentifier.of("trajlake", "trajectories");
    assertThat(catalog.tableExists(id)).as("table " + id).isTrue();
    Table table = catalog.loadTable(id);
    int rows = 0;
    try (CloseableIterable<Record> records = IcebergGenerics.read(table)
        .where(Expressions.equal("trajectory_id", trajectoryId)).build()) {
      for (Record ignored : records) {
        rows++;
      }
    }
    return rows;
  }

  private static String whyItCannotRun() {
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      return "No Docker engine here: ComposeStackIT brings deploy/compose up with Testcontainers and needs one; skipped.";
    }
    if (!dockerComposeWorks()) {
      return "`docker compose` (the Compose v2 plugin) is not installed; ComposeStackIT needs it; skipped.";
    }
    if (!Files.isDirectory(DISTRIBUTION)) {
      return "No distribution at " + DISTRIBUTION + " for the image to package (run `mvn package` first); skipped.";
    }
    return null;
  }

  private static boolean dockerComposeWorks() {
    try {
      Process process = new ProcessBuilder("docker", "compose", "version").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
