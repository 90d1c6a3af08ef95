package org.trajlake.recall.indexer;

import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.core.GetResponse;
import org.opensearch.client.transport.OpenSearchTransport;
import org.trajlake.recall.index.IndexNames;
import org.trajlake.recall.index.OpenSearchClients;
import org.trajlake.recall.index.OpenSearchSettings;
import org.trajlake.runtime.Settings;
import org.trajlake.schema.Topic;
import org.trajlake.schema.Topics;
import org.trajlake.schema.provision.SchemaProvisioner;
import org.trajlake.schema.provision.TopicProvisioner;
import org.trajlake.schema.registry.HttpSchemaRegistry;
import org.trajlake.schema.serde.AvroSerdeConfig;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.TestKafka;

/**
 * Topics, schemas and index names of one integration test's own, on the shared servers, with the
 * reads and writes the tests make around the indexer.
 */
final class IndexerFixture implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  final Endpoints servers;
  final Topics topics;
  final IndexNames names;
  final String groupId;
  private final OpenSearchTransport transport;
  final OpenSearchClient client;

  private IndexerFixture(Endpoints servers, Topics topics, IndexNames names, String groupId) {
    this.servers = servers;
    this.topics = topics;
    this.names = names;
    this.groupId = groupId;
    this.transport = OpenSearchClients.transport(new OpenSearchSettings.Connection(servers.openSearchUrl(), "", "", names.prefix()));
    this.client = OpenSearchClients.client(transport);
  }

  /** Fresh topics (2 partitions each) with their schemas, a fresh index prefix and consumer group. */
  static IndexerFixture provision(Endpoints servers, String test) {
    String prefix = TestKafka.uniquePrefix(test);
    Topics topics = Topics.create(prefix, Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, servers.registryUrl()));
    try (Admin admin = TestKafka.admin(servers.bootstrapServers())) {
      new TopicProvisioner(admin, 2, (short) 1, Duration.ofSeconds(30)).provision(topics.all());
    }
    new SchemaProvisioner(HttpSchemaRegistry.builder(servers.registryUrl()).build()).provision(topics.all());
    String unique = test + "-" + System.nanoTime();
    return new IndexerFixture(servers, topics, new IndexNames("it-" + unique + "-"), "it-" + unique);
  }

  /** The indexer's settings for these servers, topics and indexes, quick to retry, metrics on a free port. */
  Map<String, String> settings(Map<String, String> overrides) {
    Map<String, String> settings = new HashMap<>();
    settings.put(IndexerConfig.BOOTSTRAP_SERVERS, servers.bootstrapServers());
    settings.put(IndexerConfig.SCHEMA_REGISTRY_URL, servers.registryUrl());
    settings.put(IndexerConfig.TOPIC_PREFIX, topics.prefix());
    settings.put(IndexerConfig.GROUP_ID, groupId);
    settings.put(OpenSearchSettings.URL, servers.openSearchUrl());
    settings.put(OpenSearchSettings.INDEX_PREFIX, names.prefix());
    settings.put(IndexerConfig.METRICS_PORT, "0");
    settings.put(IndexerConfig.RETRY_INITIAL_MS, "100");
    settings.put(IndexerConfig.RETRY_MAX_MS, "1000");
    settings.putAll(overrides);
    return settings;
  }

  RunningIndexer start(Map<String, String> overrides) {
    return IndexerApp.start(IndexerConfig.from(Settings.of(settings(overrides))));
  }

  /** A producer of {@code topic}'s values with its serde (schemas are registered already). */
  <V> KafkaProducer<String, V> producer(Topic<String, V> topic) {
    Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5);
    return new KafkaProducer<>(config, new StringSerializer(), topic.valueSerde().serializer());
  }

  <V> void produce(Topic<String, V> topic, List<V> values, Function<V, String> key) {
    try (KafkaProducer<String, V> producer = producer(topic)) {
      for (V value : values) {
        producer.send(new ProducerRecord<>(topic.name(), key.apply(value), value)).get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not write to " + topic.name(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  void produceRaw(Topic<?, ?> topic, String key, byte[] value) {
    TestKafka.produceRaw(servers.bootstrapServers(), topic.name(), key, value);
  }

  /** A document of {@code index} with its external version, if it exists. */
  @SuppressWarnings("rawtypes")
  Optional<Versioned> document(String index, String id) {
    try {
      GetResponse<Map> response = client.get(g -> g.index(index).id(id), Map.class);
      return response.found() ? Optional.of(new Versioned(response.version(), cast(response.source()))) : Optional.empty();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  record Versioned(long version, Map<String, Object> source) {}

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> source) {
    return (Map<String, Object>) source;
  }

  /** The external version of each document of {@code index} among {@code ids} that exists. */
  @SuppressWarnings("rawtypes")
  Map<String, Long> versions(String index, List<String> ids) {
    Map<String, Long> versions = new HashMap<>();
    try {
      for (int from = 0; from < ids.size(); from += 500) {
        List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
        client.mget(m -> m.index(index).ids(chunk).sourceExcludes("*"), Map.class).docs().forEach(item -> {
          if (item.isResult() && item.result().found()) {
            versions.put(item.result().id(), item.result().version());
          }
        });
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return versions;
  }

  /** Every record on the dead-letter topic once at least {@code count} arrived (or the test kit's timeout passed). */
  List<ConsumerRecord<byte[], byte[]>> deadLetters(int count) {
    try (KafkaConsumer<byte[], byte[]> consumer = TestKafka.consumerFromStart(servers.bootstrapServers(),
        topics.deadLetters().name(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      return TestKafka.readAtLeast(consumer, count);
    }
  }

  /** The sum of the offsets the indexer's group committed on {@code topic}. */
  long committed(Topic<?, ?> topic) {
    try (Admin admin = TestKafka.admin(servers.bootstrapServers())) {
      return admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get().entrySet().stream()
          .filter(e -> e.getKey().topic().equals(topic.name()) && e.getValue() != null)
          .mapToLong(e -> e.getValue().offset()).sum();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static double counter(RunningIndexer indexer, String name, String tag, String value) {
    Counter counter = indexer.registry().find(name).tag(tag, value).counter();
    return counter == null ? 0 : counter.count();
  }

  static double counter(RunningIndexer indexer, String name) {
    Counter counter = indexer.registry().find(name).counter();
    return counter == null ? 0 : counter.count();
  }

  static HttpResponse<String> get(RunningIndexer indexer, String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + indexer.metricsPort() + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    transport.close();
  }
}
