package org.trajlake.cli.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.trajlake.schema.Topics;
import org.trajlake.schema.provision.SchemaProvisioner;
import org.trajlake.schema.provision.TopicProvisioner;
import org.trajlake.schema.registry.HttpSchemaRegistry;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.TestKafka;

/**
 * The five services of one test on a stack it may share with other tests: its own topic prefix,
 * consumer groups, Streams state, OpenSearch index prefix and Iceberg namespace, so it never sees
 * another test's data. Each service is a process of the distribution ({@link ServiceProcess}).
 */
final class TestPipeline implements AutoCloseable {
  /**
   * Short timers, so a test sees trajectories settle (every trajectory reaches the rewarded topic, so
   * the Iceberg table, within seconds, with or without outcomes) and ENDs missing steps close quickly.
   */
  static final Map<String, String> QUICK = Map.of(
      "joiner.settle.timeout.ms", "2000",
      "ingest.end.grace.ms", "2000");
  /** The sink's commit interval: every 2 s instead of every minute. */
  private static final String SINK_COMMIT_INTERVAL_MS = "2000";

  final Endpoints servers;
  final String prefix;
  final Topics topics;
  final String namespace;
  final String indexPrefix;
  final Path work;
  private final Map<String, String> settings;
  private final List<ServiceProcess> started = new ArrayList<>();

  private TestPipeline(Endpoints servers, String prefix, Topics topics, Path work, Map<String, String> extra) {
    this.servers = servers;
    this.prefix = prefix;
    this.topics = topics;
    this.work = work;
    String name = prefix.replaceAll("[^A-Za-z0-9]+", "_").replaceAll("^_|_$", "").toLowerCase(Locale.ROOT);
    this.namespace = name;
    this.indexPrefix = name.replace('_', '-') + "-";
    Map<String, String> all = new LinkedHashMap<>();
    all.put("bootstrap.servers", servers.bootstrapServers());
    all.put("schema.registry.url", servers.registryUrl());
    all.put("topic.prefix", prefix);
    all.put("opensearch.url", servers.openSearchUrl());
    all.put("index.prefix", indexPrefix);
    all.put("catalog.name", servers.icebergCatalogName());
    all.put("catalog.uri", servers.icebergCatalogProperties().get("uri"));
    all.put("catalog.warehouse", servers.dataDir().resolve("warehouse").toString());
    all.put("catalog.namespace", namespace);
    all.put("metrics.port", "0");
    all.put("recall.port", "0");
    all.putAll(QUICK);
    all.putAll(extra);
    this.settings = all;
  }

  /** Topics and schemas under a new prefix named after {@code test}. */
  static TestPipeline provision(Endpoints servers, String test, Map<String, String> settings) {
    String prefix = TestKafka.uniquePrefix(test);
    HttpSchemaRegistry registry = HttpSchemaRegistry.builder(servers.registryUrl()).build();
    Topics topics = Topics.create(prefix, registry, false);
    try (Admin admin = TestKafka.admin(servers.bootstrapServers())) {
      new TopicProvisioner(admin).provision(topics.all());
    }
    new SchemaProvisioner(registry).provision(topics.all());
    try {
      Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "faults").toAbsolutePath()),
          test + "-");
      return new TestPipeline(servers, prefix, topics, work, settings);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code trajlake run all}: the five services in one JVM. */
  ServiceProcess startAll() {
    Map<String, String> all = new LinkedHashMap<>(settings);
    all.put("ingest.application.id", prefix + "ingest");
    all.put("joiner.application.id", prefix + "joiner");
    all.put("indexer.group.id", prefix + "indexer");
    all.put("sink.group.id", prefix + "sink");
    all.put("sink.commit.interval.ms", SINK_COMMIT_INTERVAL_MS);
    all.put("state.dir", work.resolve("state").toString());
    return track(ServiceProcess.start("all", all, work.resolve("all.log")));
  }

  /** {@code trajlake run <service>} (ingest, joiner, indexer, recall, sink) in a process of its own. */
  ServiceProcess start(String service) {
    Map<String, String> own = new LinkedHashMap<>(settings);
    own.put("application.id", prefix + service);
    own.put("group.id", prefix + service);
    own.put("state.dir", work.resolve("state-" + service).toString());
    if (service.equals("sink")) {
      own.put("commit.interval.ms", SINK_COMMIT_INTERVAL_MS); // alone, the sink reads the plain key
    }
    return track(ServiceProcess.start(service, own, work.resolve(service + ".log")));
  }

  /** The five services, each in a process of its own, downstream first. */
  Map<String, ServiceProcess> startEach() {
    Map<String, ServiceProcess> each = new LinkedHashMap<>();
    for (String service : List.of("sink", "indexer", "joiner", "ingest", "recall")) {
      each.put(service, start(service));
    }
    return each;
  }

  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).stop();
    }
  }

  private ServiceProcess track(ServiceProcess process) {
    started.add(process);
    return process;
  }
}
