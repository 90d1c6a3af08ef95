package org.trajlake.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.trajlake.stack.Endpoints;

/** Each server of the stack, reached the way a client of the project reaches it. */
@RealServers
class RealServersIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void kafkaBrokerStoresAndServesRecords(Endpoints servers) throws Exception {
    // Given a topic with 6 partitions
    String topic = "it.kafka." + System.nanoTime();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get();
    }

    // When a record is produced with acks=all
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, "trajectory-1", "hello")).get();
    }

    // Then a consumer reads it back
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + topic);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      List<ConsumerRecord<String, String>> records = new ArrayList<>();
      long deadline = System.currentTimeMillis() + 30_000;
      while (records.isEmpty() && System.currentTimeMillis() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
      assertThat(records).extracting(ConsumerRecord::key, ConsumerRecord::value).containsExactly(
          org.assertj.core.groups.Tuple.tuple("trajectory-1", "hello"));
    }
  }

  @Test
  void registrySpeaksTheConfluentApiWithBackwardCompatibility(Endpoints servers) throws Exception {
    // Given the registry's Confluent-compatible API
    String url = servers.registryUrl();

    // When the global config is read and a schema registered
    JsonNode config = JSON.readTree(get(url + "/config").body());
    String subject = "it-registry-" + System.nanoTime() + "-value";
    String schema = "{\"type\":\"record\",\"name\":\"Probe\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}";
    HttpResponse<String> registered = post(url + "/subjects/" + subject + "/versions",
        JSON.writeValueAsString(Map.of("schema", schema)));

    // Then the global rule is BACKWARD and the schema can be fetched by its id
    assertThat(config.path("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    assertThat(registered.statusCode()).isEqualTo(200);
    int id = JSON.readTree(registered.body()).path("id").asInt();
    JsonNode fetched = JSON.readTree(get(url + "/schemas/ids/" + id).body());
    assertThat(JSON.readTree(fetched.path("schema").asText())).isEqualTo(JSON.readTree(schema));
  }

  @Test
  void openSearchAnswersFilteredLuceneKnnQueries(Endpoints servers) throws Exception {
    // Given an index with a Lucene HNSW cosine vector field and two documents in two workspaces
    String index = "it-knn-" + System.nanoTime();
    String mapping = "{\"settings\":{\"index\":{\"knn\":true,\"number_of_replicas\":0}},"
        + "\"mappings\":{\"properties\":{\"workspace\":{\"type\":\"keyword\"},"
        + "\"embedding\":{\"type\":\"knn_vector\",\"dimension\":3,"
        + "\"method\":{\"name\":\"hnsw\",\"engine\":\"lucene\",\"space_type\":\"cosinesimil\"}}}}}";
    assertThat(put(servers.openSearchUrl() + "/" + index, mapping).statusCode()).isEqualTo(200);
    put(servers.openSearchUrl() + "/" + index + "/_doc/a?refresh=true", "{\"workspace\":\"alpha\",\"embedding\":[1,0,0]}");
    put(servers.openSearchUrl() + "/" + index + "/_doc/b?refresh=true", "{\"workspace\":\"beta\",\"embedding\":[1,0.1,0]}");

    // When a k-NN query filtered to workspace alpha runs
    String query = "{\"query\":{\"knn\":{\"embedding\":{\"vector\":[1,0.1,0],\"k\":10,"
        + "\"filter\":{\"term\":{\"workspace\":\"alpha\"}}}}}}";
    JsonNode hits = JSON.readTree(post(servers.openSearchUrl() + "/" + index + "/_search", query).body())
        .path("hits").path("hits");

    // Then only alpha's document comes back, even though beta's is the closer vector
    assertThat(hits).hasSize(1);
    assertThat(hits.get(0).path("_id").asText()).isEqualTo("a");
  }

  @Test
  void icebergCatalogHoldsTheNamespaceAndCreatesTables(Endpoints servers) throws Exception {
    // Given the stack's catalog
    Catalog catalog = servers.openIcebergCatalog();
    try {
      // When a table is created in the project's namespace
      TableIdentifier id = TableIdentifier.of(servers.icebergNamespace(), "it_probe_" + System.nanoTime());
      catalog.createTable(id, new Schema(Types.NestedField.required(1, "trajectory_id", Types.StringType.get())));

      // Then the namespace exists and the table loads with its warehouse location under the data dir
      assertThat(((SupportsNamespaces) catalog).namespaceExists(Namespace.of("trajlake"))).isTrue();
      Table table = catalog.loadTable(id);
      assertThat(table.location()).contains(servers.dataDir().resolve("warehouse").toString());
      assertThat(servers.icebergCatalogName()).isEqualTo("trajlake");
    } finally {
      ((AutoCloseable) catalog).close();
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String url, String json) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> put(String url, String json) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
