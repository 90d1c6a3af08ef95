package org.trajlake.recall.indexer;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.transport.OpenSearchTransport;
import org.trajlake.recall.index.IndexAdmin;
import org.trajlake.recall.index.IndexNames;
import org.trajlake.recall.index.OpenSearchClients;
import org.trajlake.recall.index.OpenSearchSettings;
import org.trajlake.runtime.SendFailures;
import org.trajlake.runtime.Settings;
import org.trajlake.schema.Topics;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.provision.SchemaProvisioner;
import org.trajlake.schema.provision.TopicProvisioner;
import org.trajlake.schema.registry.HttpSchemaRegistry;
import org.trajlake.schema.registry.SchemaRegistry;

/**
 * Indexing throughput, for {@code trajlake bench}: a backlog of synthetic trajectories (20 steps, 5
 * tool calls each) on fresh topics, indexed into fresh indexes by the real indexer, twice: once
 * embedded in-process, once with a 384-dimension vector from the agent on every trajectory. Each
 * scenario uses topics ({@code bench.indexing.<run>.<scenario>.}) and indexes of its own and deletes
 * them afterwards unless asked to keep them. Prints only progress, to the writer it is given.
 */
public final class IndexingBenchmark {
  public static final int DEFAULT_IN_PROCESS_TRAJECTORIES = 2_000;
  public static final int DEFAULT_AGENT_VECTOR_TRAJECTORIES = 20_000;
  private static final int AGENT_DIMENSION = 384;
  private static final Duration SCENARIO_TIMEOUT = Duration.ofMinutes(20);

  /**
   * One scenario's figures.
   *
   * @param scenario what was indexed
   * @param trajectories how many (each with its tool-call documents)
   * @param sustained from the end of the first successful bulk request to the end of the last
   * @param sustainedTrajectories the trajectories written in that span (all but the first bulk's)
   * @param withStartUp from starting the indexer (model load, index checks, group join) to the end of the last bulk
   * @param bulkRequests how many bulk requests wrote them
   * @param bulkP50 median duration of a bulk request (embedding excluded)
   * @param bulkP95 95th percentile of the same
   * @param indexed documents found in the trajectories index afterwards (should be {@code trajectories})
   */
  public record Figure(String scenario, int trajectories, Duration sustained, int sustainedTrajectories,
      Duration withStartUp, int bulkRequests, Duration bulkP50, Duration bulkP95, long indexed) {
    /** Trajectories per second, sustained. */
    public double perSecond() {
      return sustained.isZero() ? 0 : sustainedTrajectories / (sustained.toNanos() / 1e9);
    }

    /** Trajectories per second counting the start-up. */
    public double perSecondWithStartUp() {
      return withStartUp.isZero() ? 0 : trajectories / (withStartUp.toNanos() / 1e9);
    }
  }

  private final String bootstrapServers;
  private final String registryUrl;
  private final String openSearchUrl;
  private final Path dataDir;
  private final PrintWriter progress;
  private final Map<String, String> indexerSettings;
  private final boolean keep;
  private final String runId = "b" + System.currentTimeMillis();

  /**
   * @param dataDir where each run writes the duration of every bulk request ({@code bench/indexing-<run>/})
   * @param progress where progress lines go
   * @param indexerSettings indexer keys to set on top of the benchmark's own (for example {@code indexer.batch.max.records})
   * @param keep keep the topics and indexes afterwards
   */
  public IndexingBenchmark(String bootstrapServers, String registryUrl, String openSearchUrl, Path dataDir,
      PrintWriter progress, Map<String, String> indexerSettings, boolean keep) {
    this.bootstrapServers = bootstrapServers;
    this.registryUrl = registryUrl;
    this.openSearchUrl = openSearchUrl;
    this.dataDir = dataDir;
    this.progress = progress;
    this.indexerSettings = Map.copyOf(indexerSettings);
    this.keep = keep;
  }

  /** Agent-vector trajectories indexed before the measured scenarios. */
  static final int WARM_UP_TRAJECTORIES = 3_000;

  public String runId() {
    return runId;
  }

  /**
   * Both scenarios, after an unmeasured warm-up; a count of 0 skips that scenario. The warm-up indexes
   * a short backlog first, so that the first scenario does not pay for a freshly started OpenSearch
   * (its bulk path compiled by the JIT, its first segments merged): measured cold, the 2,000
   * trajectories of the in-process scenario ran at 128-133/s against 154-169/s warm.
   */
  public List<Figure> run(int inProcessTrajectories, int agentVectorTrajectories) throws IOException {
    List<Figure> figures = new ArrayList<>();
    if (inProcessTrajectories > 0 || agentVectorTrajectories > 0) {
      scenario("warm-up, not measured", "warmup", WARM_UP_TRAJECTORIES, AGENT_DIMENSION);
    }
    if (inProcessTrajectories > 0) {
      figures.add(scenario("in-process embeddings", "embed", inProcessTrajectories, 0));
    }
    if (agentVectorTrajectories > 0) {
      figures.add(scenario("agent vectors (384 dims)", "vectors", agentVectorTrajectories, AGENT_DIMENSION));
    }
    return figures;
  }

  private Figure scenario(String name, String slug, int count, int dimension) throws IOException {
    String prefix = "bench.indexing." + runId + "." + slug + ".";
    IndexNames names = new IndexNames("bench-" + runId + "-" + slug + "-");
    SchemaRegistry registry = HttpSchemaRegistry.builder(registryUrl).build();
    Topics topics = Topics.create(prefix, registry, false);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        OpenSearchTransport transport = OpenSearchClients.transport(
            new OpenSearchSettings.Connection(openSearchUrl, "", "", names.prefix()))) {
      new TopicProvisioner(admin).provision(topics.all());
      new SchemaProvisioner(registry).provision(topics.all());
      try {
        produce(topics, count, dimension, name);
        return index(name, slug, count, topics, names, OpenSearchClients.client(transport));
      } finally {
        if (keep) {
          progress.printf("  kept: topics %s*, indexes %s*%n", prefix, names.prefix());
        } else {
          admin.deleteTopics(topics.all().stream().map(t -> t.name()).toList());
          new IndexAdmin(transport, names).deleteAll();
        }
        progress.flush();
      }
    }
  }

  private void produce(Topics topics, int count, int dimension, String name) {
    SyntheticTrajectories synthetic = new SyntheticTrajectories(42, dimension);
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    long started = System.nanoTime();
    try (KafkaProducer<String, Trajectory> producer =
        new KafkaProducer<>(config, new StringSerializer(), topics.trajectories().valueSerde().serializer())) {
      SendFailures failures = new SendFailures();
      for (int i = 0; i < count; i++) {
        Trajectory trajectory = synthetic.trajectory(runId, i);
        producer.send(new ProducerRecord<>(topics.trajectories().name(), trajectory.getTrajectoryId(), trajectory),
            failures);
      }
      producer.flush();
      failures.check(topics.trajectories().name());
    } catch (Exception e) {
      throw new IllegalStateException("could not produce the backlog to " + topics.trajectories().name() + ": " + e, e);
    }
    progress.printf("%s: %,d trajectories produced in %.1f s%n", name, count, (System.nanoTime() - started) / 1e9);
    progress.flush();
  }

  private Figure index(String name, String slug, int count, Topics topics, IndexNames names, OpenSearchClient client)
      throws IOException {
    Map<String, String> settings = new HashMap<>();
    settings.put(IndexerConfig.BOOTSTRAP_SERVERS, bootstrapServers);
    settings.put(IndexerConfig.SCHEMA_REGISTRY_URL, registryUrl);
    settings.put(IndexerConfig.TOPIC_PREFIX, topics.prefix());
    settings.put(IndexerConfig.GROUP_ID, "bench-" + runId + "-" + slug);
    settings.put(OpenSearchSettings.URL, openSearchUrl);
    settings.put(OpenSearchSettings.INDEX_PREFIX, names.prefix());
    settings.put(IndexerConfig.METRICS_PORT, "-1");
    settings.putAll(indexerSettings);
    BulkLog bulks = new BulkLog();
    long started = System.nanoTime();
    try (RunningIndexer indexer = IndexerApp.start(IndexerConfig.from(Settings.of(settings)), bulks)) {
      long deadline = started + SCENARIO_TIMEOUT.toNanos();
      int reported = 0;
      while (bulks.written() < count) {
        if (!indexer.running()) {
          throw new IllegalStateException(name + ": the indexer stopped after " + bulks.written() + " trajectories; see its log");
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(name + ": only " + bulks.written() + " of " + count + " trajectories indexed in time");
        }
        if (bulks.written() >= reported + count / 10) {
          reported = bulks.written();
          progress.printf("  %s: %,d of %,d indexed%n", name, reported, count);
          progress.flush();
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    writeLog(slug, bulks);
    client.indices().refresh(r -> r.index(names.trajectories()));
    long indexed = client.count(c -> c.index(names.trajectories())).count();
    Figure figure = bulks.figure(name, count, started, indexed);
    progress.printf("%s: %,d trajectories in %.1f s sustained (%,.0f/s), %.1f s with start-up (%,.0f/s); "
            + "%d bulk requests, p50 %d ms, p95 %d ms; %,d documents in %s%n",
        name, count, figure.sustained().toNanos() / 1e9, figure.perSecond(), figure.withStartUp().toNanos() / 1e9,
        figure.perSecondWithStartUp(), figure.bulkRequests(), figure.bulkP50().toMillis(), figure.bulkP95().toMillis(),
        indexed, names.trajectories());
    progress.flush();
    return figure;
  }

  private void writeLog(String slug, BulkLog bulks) {
    Path file = dataDir.resolve("bench").resolve("indexing-" + runId).resolve(slug + "-bulks.csv");
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, bulks.csv());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Each successful bulk request: when it ended, how many trajectories, how long. */
  private static final class BulkLog implements BulkStage.BulkObserver {
    private final List<long[]> bulks = new ArrayList<>();

    @Override
    public synchronized void bulkWritten(int records, long nanos, long endedAt) {
      bulks.add(new long[] {endedAt, records, nanos});
    }

    synchronized int written() {
      return bulks.stream().mapToInt(b -> (int) b[1]).sum();
    }

    synchronized Figure figure(String name, int count, long started, long indexed) {
      // By the time each request returned: a batch's requests are reported together, in batch order.
      List<long[]> byEnd = bulks.stream().sorted(Comparator.comparingLong(b -> b[0])).toList();
      long[] first = byEnd.get(0);
      long[] last = byEnd.get(byEnd.size() - 1);
      long[] latencies = bulks.stream().mapToLong(b -> b[2]).sorted().toArray();
      return new Figure(name, count, Duration.ofNanos(last[0] - first[0]), count - (int) first[1],
          Duration.ofNanos(last[0] - started), bulks.size(), Duration.ofNanos(percentile(latencies, 0.50)),
          Duration.ofNanos(percentile(latencies, 0.95)), indexed);
    }

    synchronized List<String> csv() {
      List<String> lines = new ArrayList<>();
      lines.add("end_nanos,trajectories,bulk_ms");
      bulks.forEach(b -> lines.add(b[0] + "," + b[1] + "," + b[2] / 1e6));
      return lines;
    }

    private static long percentile(long[] sorted, double p) {
      return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
  }
}
