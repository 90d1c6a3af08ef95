package org.trajlake.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.opensearch.client.transport.OpenSearchTransport;
import org.trajlake.ingest.IngestApp;
import org.trajlake.ingest.IngestConfig;
import org.trajlake.recall.RecallApp;
import org.trajlake.recall.RecallConfig;
import org.trajlake.recall.RunningRecall;
import org.trajlake.recall.index.IndexAdmin;
import org.trajlake.recall.index.IndexNames;
import org.trajlake.recall.index.OpenSearchClients;
import org.trajlake.recall.index.OpenSearchSettings;
import org.trajlake.recall.indexer.IndexerApp;
import org.trajlake.recall.indexer.IndexerConfig;
import org.trajlake.recall.indexer.RunningIndexer;
import org.trajlake.runtime.RunningService;
import org.trajlake.runtime.Settings;
import org.trajlake.runtime.StreamsAppConfig;
import org.trajlake.schema.StepKind;
import org.trajlake.schema.Topics;
import org.trajlake.schema.TrajectoryEvent;
import org.trajlake.schema.TrajectoryStatus;
import org.trajlake.schema.provision.SchemaProvisioner;
import org.trajlake.schema.provision.TopicProvisioner;
import org.trajlake.schema.registry.HttpSchemaRegistry;
import org.trajlake.stack.Endpoints;

/**
 * {@code trajlake bench freshness}: how soon a finished trajectory can be recalled. ingest-streams,
 * the indexer and the recall service run against the local stack; a background fleet writes
 * trajectories at a steady rate, each with a task text of its own so the indexer embeds every one
 * in-process (none comes from its embedding cache), while probe trajectories, each with a word no
 * other has, are written; the clock starts when a probe's END is acknowledged by Kafka and stops
 * when recall returns it (polled every {@value #POLL_MS} ms).
 *
 * <p>Measured in the steady state: the fleet runs {@value #SETTLE_SECONDS} s before the first probe
 * (the services start cold, and a backlog built meanwhile drains only at the indexer's spare rate),
 * and each probe thread's first probe is reported apart, not measured.
 */
public final class FreshnessBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  /** A probe's recall or the clean-up that gets no answer fails the run instead of hanging it. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final int STEPS = 8;
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(60);
  // Four probes polling every 20 ms sent 200 recalls/s, enough of the 2 cores to slow the indexer they measure.
  private static final long POLL_MS = 50;
  private static final int SETTLE_SECONDS = 20;

  private final Endpoints endpoints;
  private final int probes;
  private final int backgroundPerSecond;
  private final int probeThreads;
  private final Map<String, String> settings;
  private final PrintWriter out;
  /** The figures the targets apply to. */
  public static final String FRESHNESS = "freshness";
  public static final String BACKGROUND = "background fleet";

  private final String runId = "f" + System.currentTimeMillis();
  private final Latencies latencies = new Latencies();
  private final Latencies firstProbes = new Latencies();

  /** @param settings given to the three services before the benchmark's own (servers, topics, indexes, ports) */
  public FreshnessBenchmark(Endpoints endpoints, int probes, int backgroundPerSecond, int probeThreads,
      Map<String, String> settings, PrintWriter out) {
    this.endpoints = endpoints;
    this.settings = Map.copyOf(settings);
    this.probes = probes;
    this.backgroundPerSecond = backgroundPerSecond;
    this.probeThreads = probeThreads;
    this.out = out;
  }

  public String runId() {
    return runId;
  }

  /** Every probe's freshness, once {@link #run()} has measured them. */
  public List<LatencySamples> samples() {
    return List.of(latencies.samples(FRESHNESS));
  }

  public List<BenchFigure> run() throws Exception {
    String topicPrefix = "bench." + runId + ".";
    String indexPrefix = "bench-" + runId + "-";
    HttpSchemaRegistry registry = HttpSchemaRegistry.builder(endpoints.registryUrl()).build();
    Topics topics = Topics.create(topicPrefix, registry, false);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers()))) {
      new TopicProvisioner(admin).provision(topics.all());
    }
    new SchemaProvisioner(registry).provision(topics.all());
    Path state = endpoints.dataDir().resolve("bench").resolve(runId);
    Map<String, String> common = new HashMap<>(settings);
    common.put(StreamsAppConfig.BOOTSTRAP_SERVERS, endpoints.bootstrapServers());
    common.put(StreamsAppConfig.SCHEMA_REGISTRY_URL, endpoints.registryUrl());
    common.put(StreamsAppConfig.TOPIC_PREFIX, topicPrefix);
    common.put(StreamsAppConfig.METRICS_PORT, "-1");
    common.put(OpenSearchSettings.URL, endpoints.openSearchUrl());
    common.put(OpenSearchSettings.INDEX_PREFIX, indexPrefix);
    Map<String, String> ingest = new HashMap<>(common);
    ingest.put(StreamsAppConfig.APPLICATION_ID, topicPrefix + "ingest");
    ingest.put(StreamsAppConfig.STATE_DIR, state.resolve("ingest").toString());
    Map<String, String> indexer = new HashMap<>(common);
    indexer.put(IndexerConfig.GROUP_ID, topicPrefix + "indexer");
    Map<String, String> recall = new HashMap<>(common);
    recall.put("recall.port", "0");

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong background = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(probeThreads + 1);
    try (RunningService ingestService = IngestApp.start(IngestConfig.from(Settings.of(ingest)));
        RunningIndexer indexerService = IndexerApp.start(IndexerConfig.from(Settings.of(indexer)));
        RunningRecall recallService = RecallApp.start(RecallConfig.from(Settings.of(recall)));
        KafkaProducer<String, TrajectoryEvent> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), topics.events().valueSerde().serializer())) {
      String recallUrl = "http://127.0.0.1:" + recallService.port() + "/v1/recall";
      String eventsTopic = topics.events().name();
      out.printf("  ingest-streams, recall-indexer and recall running; background fleet at %d trajectories/s ...%n",
          backgroundPerSecond);
      out.flush();
      Instant backgroundStart = Instant.now();
      Future<?> fleet = pool.submit(() -> fleet(producer, eventsTopic, running, background));
      Thread.sleep(SETTLE_SECONDS * 1000L);
      List<Future<?>> probers = new ArrayList<>();
      int perThread = (probes + probeThreads - 1) / probeThreads;
      for (int t = 0; t < probeThreads; t++) {
        int first = t * perThread;
        int last = Math.min(probes, first + perThread);
        int thread = t;
        probers.add(pool.submit(() -> {
          // Numbered after the measured probes, so every probe has an index (and a marker word) of its own.
          probe(producer, eventsTopic, recallUrl, probes + thread, firstProbes);
          for (int p = first; p < last; p++) {
            probe(producer, eventsTopic, recallUrl, p, latencies);
          }
          return null;
        }));
      }
      for (Future<?> prober : probers) {
        prober.get();
      }
      running.set(false);
      fleet.get();
      double fleetRate = background.get() / (Duration.between(backgroundStart, Instant.now()).toNanos() / 1e9);
      out.printf("  first probe of each thread (not measured): max %.0f ms%n", firstProbes.percentile(100));
      out.printf("  freshness over %d probes: %s; background fleet ran at %.0f trajectories/s%n", latencies.count(),
          latencies.summary(), fleetRate);
      out.flush();
      String note = latencies.count() + " probes after " + SETTLE_SECONDS + " s of background and one unmeasured probe "
          + "per thread, END acknowledged to returned by recall (polled every " + POLL_MS + " ms), background "
          + Math.round(fleetRate) + " trajectories/s";
      return List.of(BenchFigure.latency(FRESHNESS + " p50", latencies.percentile(50), note),
          BenchFigure.latency(FRESHNESS + " p95", latencies.percentile(95), note),
          BenchFigure.latency(FRESHNESS + " p99", latencies.percentile(99), note),
          new BenchFigure(BACKGROUND, fleetRate, "trajectories/s",
              "8 steps each, a task text of its own, embedded in-process"));
    } finally {
      running.set(false);
      pool.shutdownNow();
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers()))) {
        List<String> mine = admin.listTopics().names().get().stream().filter(name -> name.startsWith(topicPrefix)).toList();
        admin.deleteTopics(mine).all().get();
      } catch (Exception e) {
        out.println("  (could not delete " + topicPrefix + "* topics: " + e.getMessage() + ")");
      }
      try (OpenSearchTransport transport = OpenSearchClients.transport(
          new OpenSearchSettings.Connection(endpoints.openSearchUrl(), "", "", indexPrefix))) {
        new IndexAdmin(transport, new IndexNames(indexPrefix)).deleteAll();
      }
    }
  }

  /** Writes trajectories at the background rate until told to stop. */
  private Void fleet(KafkaProducer<String, TrajectoryEvent> producer, String topic, AtomicBoolean running, AtomicLong sent)
      throws InterruptedException {
    // Paced 2% above the asked rate: a paced sender measured over its whole run (start-up and the last,
    // partial interval included) comes out a hair under its pace, and the load is a floor ("at least").
    long intervalNanos = (long) (1_000_000_000L / (backgroundPerSecond * 1.02));
    long next = System.nanoTime();
    int index = 0;
    while (running.get()) {
      // A text of its own: the indexer's embedding cache would otherwise spare it the model.
      for (TrajectoryEvent event : events("bg-" + runId + "-" + index, "background task " + index
          + " flaky build retry", index)) {
        producer.send(new ProducerRecord<>(topic, event.getTrajectoryId(), event));
      }
      index++;
      sent.incrementAndGet();
      next += intervalNanos;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
    }
    return null;
  }

  /** One probe: its steps, then its END; the clock runs from END's acknowledgement to the first recall that returns it. */
  private void probe(KafkaProducer<String, TrajectoryEvent> producer, String topic, String recallUrl, int index,
      Latencies latencies) throws Exception {
    String marker = "probe" + runId + "x" + index;
    List<TrajectoryEvent> events = events("probe-" + runId + "-" + index, "investigate " + marker + " failure", index);
    for (int i = 0; i < events.size() - 1; i++) {
      producer.send(new ProducerRecord<>(topic, events.get(i).getTrajectoryId(), events.get(i)));
    }
    TrajectoryEvent end = events.get(events.size() - 1);
    producer.send(new ProducerRecord<>(topic, end.getTrajectoryId(), end)).get();
    long acknowledged = System.nanoTime();
    String body = JSON.writeValueAsString(Map.of("workspace", "bench", "query", marker, "k", 1, "mode", "bm25"));
    long deadline = acknowledged + PROBE_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(recallUrl)).timeout(REQUEST_TIMEOUT)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode hits = JSON.readTree(response.body()).path("trajectories");
      if (hits.size() > 0 && end.getTrajectoryId().equals(hits.get(0).path("trajectory_id").asText())) {
        latencies.add(System.nanoTime() - acknowledged);
        return;
      }
      Thread.sleep(POLL_MS);
    }
    throw new IllegalStateException("probe " + end.getTrajectoryId() + " not recalled within " + PROBE_TIMEOUT.toSeconds() + " s");
  }

  private static List<TrajectoryEvent> events(String id, String task, int index) {
    List<TrajectoryEvent> events = new ArrayList<>();
    Instant now = Instant.now();
    for (int seq = 0; seq < STEPS; seq++) {
      StepKind kind = seq == 0 ? StepKind.OBSERVATION : seq == STEPS - 1 ? StepKind.END : StepKind.THOUGHT;
      TrajectoryEvent.Builder event = TrajectoryEvent.newBuilder()
          .setEventId(id + "-" + seq).setTrajectoryId(id).setWorkspace("bench").setAgentId("bench-agent@1")
          .setTaskId("task-" + (index % 100)).setSeq(seq).setTs(now.plusMillis(seq)).setKind(kind)
          .setContent(seq == 0 ? task : "step " + seq + " of " + task).setTags(List.of()).setAttributes(Map.of());
      if (kind == StepKind.END) {
        event.setStatus(TrajectoryStatus.SUCCESS);
      }
      events.add(event.build());
    }
    return events;
  }
}
