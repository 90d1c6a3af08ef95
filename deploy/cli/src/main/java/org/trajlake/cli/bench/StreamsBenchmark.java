package org.trajlake.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.trajlake.ingest.IngestApp;
import org.trajlake.ingest.IngestConfig;
import org.trajlake.joiner.JoinerApp;
import org.trajlake.joiner.JoinerConfig;
import org.trajlake.runtime.RunningService;
import org.trajlake.runtime.SendFailures;
import org.trajlake.runtime.Settings;
import org.trajlake.runtime.StreamsAppConfig;
import org.trajlake.schema.Outcome;
import org.trajlake.schema.Topics;
import org.trajlake.schema.TrajectoryEvent;
import org.trajlake.schema.provision.SchemaProvisioner;
import org.trajlake.schema.provision.TopicProvisioner;
import org.trajlake.schema.registry.HttpSchemaRegistry;
import org.trajlake.schema.registry.SchemaRegistry;
import org.trajlake.stack.Endpoints;

/**
 * {@code trajlake bench streams}: a backlog of synthetic trajectories and outcomes through the real
 * broker and registry, measured stage by stage and as a pipeline. Each run uses topics of its own
 * (prefix {@code bench.<run>.}) and deletes them afterwards.
 */
public final class StreamsBenchmark {
  private static final Duration STAGE_TIMEOUT = Duration.ofMinutes(15);
  /** The figures the targets apply to. */
  public static final String INGEST_ALONE = "ingest-streams alone (exactly-once)";
  public static final String PIPELINE = "pipeline: ingest + joiner together";

  private final Endpoints endpoints;
  private final int trajectories;
  private final int steps;
  private final int contentBytes;
  private final long seed;
  private final PrintWriter out;
  private final String runId = "b" + System.currentTimeMillis();
  private final Path workDir;
  private final boolean keepTopics;

  public StreamsBenchmark(Endpoints endpoints, int trajectories, int steps, int contentBytes, long seed, boolean keepTopics,
      PrintWriter out) {
    this.endpoints = endpoints;
    this.trajectories = trajectories;
    this.steps = steps;
    this.contentBytes = contentBytes;
    this.seed = seed;
    this.out = out;
    this.workDir = endpoints.dataDir().resolve("bench").resolve(runId);
    this.keepTopics = keepTopics;
  }

  public String runId() {
    return runId;
  }

  public List<BenchFigure> run() throws Exception {
    long events = (long) trajectories * steps;
    out.printf("trajlake bench streams: %,d trajectories x %d steps (%d-byte contents) + %,d outcomes, run %s%n",
        trajectories, steps, contentBytes, trajectories, runId);
    out.flush();
    SchemaRegistry registry = HttpSchemaRegistry.builder(endpoints.registryUrl()).build();
    List<BenchFigure> figures = new ArrayList<>();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers()))) {
      OffsetWatch watch = new OffsetWatch(admin);

      // Warm-up, not measured: ingest-streams through half the backlog on topics of its own, so the
      // first measured stage does not pay for cold JIT code and a fresh broker (measured cold, in the
      // first benchmark of `bench all`: 14,100-16,400 events/s; after a tenth of the backlog
      // 16,500-20,300; after half 23,900-27,900, like ingest's own rate in the later pipeline stage).
      Topics warmUp = provision(admin, registry, prefix() + "warmup.");
      int warmUpTrajectories = Math.max(1, trajectories / 2);
      produce(warmUp, warmUpTrajectories);
      runUntilConsumed("warm-up", (long) warmUpTrajectories * steps, "events", watch, ingestConfig(warmUp, "warmup"),
          List.of(warmUp.events().name()));
      out.printf("  warm-up: ingest-streams through %,d events, not measured%n", (long) warmUpTrajectories * steps);
      out.flush();

      // Stage by stage, on one set of topics: each app works through a full backlog alone.
      Topics stages = provision(admin, registry, prefix() + "stages.");
      figures.add(report(produce(stages)));
      figures.add(report(rawConsume(stages.events().name(), events)));
      figures.add(report(runUntilConsumed(INGEST_ALONE, events, "events", watch,
          ingestConfig(stages, "stages"), List.of(stages.events().name()))));
      figures.add(report(runUntilConsumed("reward-joiner alone (exactly-once)", 2L * trajectories, "records", watch,
          joinerConfig(stages, "stages"), List.of(stages.trajectories().name(), stages.outcomes().name()))));

      // The pipeline: both apps at once on a fresh backlog, until every rewarded trajectory is committed.
      Topics pipeline = provision(admin, registry, prefix() + "pipeline.");
      produce(pipeline);
      figures.add(report(pipeline(pipeline, watch, events)));

      verify(stages, pipeline);
    } finally {
      if (keepTopics) {
        out.println("  topics kept: " + prefix() + "*");
      } else {
        cleanUp();
      }
    }
    return figures;
  }

  /** Every topic of the run, the apps' changelogs included (their application ids start with it). */
  private String prefix() {
    return "bench." + runId + ".";
  }

  private Topics provision(Admin admin, SchemaRegistry registry, String prefix) {
    Topics topics = Topics.create(prefix, registry, false);
    new TopicProvisioner(admin).provision(topics.all());
    new SchemaProvisioner(registry).provision(topics.all());
    return topics;
  }

  private BenchFigure produce(Topics topics) throws Exception {
    return produce(topics, trajectories);
  }

  private BenchFigure produce(Topics topics, int trajectories) throws Exception {
    SyntheticEvents synthetic = new SyntheticEvents(seed, steps, contentBytes, Instant.parse("2026-11-21T00:00:00Z"));
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    long started = System.nanoTime();
    try (KafkaProducer<String, TrajectoryEvent> events = new KafkaProducer<>(config, new StringSerializer(),
        topics.events().valueSerde().serializer());
        KafkaProducer<String, Outcome> outcomes = new KafkaProducer<>(config, new StringSerializer(),
            topics.outcomes().valueSerde().serializer())) {
      SendFailures failures = new SendFailures();
      for (int i = 0; i < trajectories; i++) {
        for (TrajectoryEvent event : synthetic.trajectory(runId, i)) {
          events.send(new ProducerRecord<>(topics.events().name(), event.getTrajectoryId(), event), failures);
        }
        Outcome outcome = synthetic.outcome(runId, i);
        outcomes.send(new ProducerRecord<>(topics.outcomes().name(), outcome.getTrajectoryId(), outcome), failures);
      }
      events.flush();
      outcomes.flush();
      failures.check(topics.events().name() + " and " + topics.outcomes().name());
    }
    return BenchFigure.rate("produce (idempotent, acks=all, Avro)", (long) trajectories * steps, "events",
        Duration.ofNanos(System.nanoTime() - started), "plus " + trajectories + " outcomes");
  }

  private BenchFigure rawConsume(String topic, long expected) {
    Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers(),
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000, ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long count = 0;
      long started = System.nanoTime();
      long deadline = started + STAGE_TIMEOUT.toNanos();
      while (count < expected && System.nanoTime() < deadline) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
        count += records.count();
      }
      return BenchFigure.rate("broker consume (raw bytes, same data)", count, "events",
          Duration.ofNanos(System.nanoTime() - started), "plain consumer, no decoding");
    }
  }

  private BenchFigure runUntilConsumed(String stage, long units, String unit, OffsetWatch watch, StreamsAppConfig config,
      List<String> inputs) throws Exception {
    Instant started = Instant.now();
    try (RunningService service = start(config)) {
      OffsetWatch.Progress progress = watch.awaitConsumed(config.applicationId(), inputs, started, STAGE_TIMEOUT);
      Duration total = Duration.between(started, progress.done());
      return BenchFigure.rate(stage, units, unit, Duration.between(progress.firstCommit(), progress.done()),
          String.format("sustained; %.1f s with start-up", total.toNanos() / 1e9));
    }
  }

  private BenchFigure pipeline(Topics topics, OffsetWatch watch, long events) throws Exception {
    IngestConfig ingest = ingestConfig(topics, "pipeline");
    JoinerConfig joiner = joinerConfig(topics, "pipeline");
    Instant started = Instant.now();
    try (RunningService ingestService = start(ingest); RunningService joinerService = start(joiner)) {
      OffsetWatch.Progress first = watch.awaitConsumed(ingest.applicationId(), List.of(topics.events().name()), started,
          STAGE_TIMEOUT);
      OffsetWatch.Progress done = watch.awaitConsumed(joiner.applicationId(),
          List.of(topics.trajectories().name(), topics.outcomes().name()), started, STAGE_TIMEOUT);
      Duration total = Duration.between(started, done.done());
      return BenchFigure.rate(PIPELINE, events, "events",
          Duration.between(first.firstCommit(), done.done()),
          String.format("events to rewarded, sustained; %.1f s with start-up", total.toNanos() / 1e9));
    }
  }

  private RunningService start(StreamsAppConfig config) {
    return config instanceof IngestConfig ingest ? IngestApp.start(ingest) : JoinerApp.start((JoinerConfig) config);
  }

  private IngestConfig ingestConfig(Topics topics, String round) {
    return IngestConfig.from(Settings.of(appSettings(topics, "ingest", round)));
  }

  private JoinerConfig joinerConfig(Topics topics, String round) {
    return JoinerConfig.from(Settings.of(appSettings(topics, "joiner", round)));
  }

  private Map<String, String> appSettings(Topics topics, String app, String round) {
    Map<String, String> values = new HashMap<>();
    values.put(StreamsAppConfig.BOOTSTRAP_SERVERS, endpoints.bootstrapServers());
    values.put(StreamsAppConfig.SCHEMA_REGISTRY_URL, endpoints.registryUrl());
    values.put(StreamsAppConfig.TOPIC_PREFIX, topics.prefix());
    values.put(StreamsAppConfig.APPLICATION_ID, topics.prefix() + app);
    values.put(StreamsAppConfig.STATE_DIR, workDir.resolve(round + "-" + app).toString());
    values.put(StreamsAppConfig.METRICS_PORT, "-1");
    return values;
  }

  /** The figures mean nothing unless every trajectory came out: count the outputs once, untimed. */
  private void verify(Topics stages, Topics pipeline) {
    long ingested = countRecords(stages.trajectories().name(), trajectories);
    long rewarded = countRecords(pipeline.rewardedTrajectories().name(), trajectories);
    out.printf("  check: %,d trajectories assembled (stages run), %,d rewarded (pipeline run), expected exactly %,d each%n",
        ingested, rewarded, trajectories);
    if (ingested != trajectories || rewarded != trajectories) {
      throw new IllegalStateException("benchmark output incomplete: " + ingested + " trajectories, " + rewarded
          + " rewarded, expected " + trajectories);
    }
  }

  /**
   * Counts a topic's committed records, waiting for up to {@code expected}: the last transaction's
   * commit markers reach the partitions a moment after the app reports its offsets committed.
   */
  private long countRecords(String topic, long expected) {
    Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long count = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (count < expected && System.nanoTime() < deadline) {
        count += consumer.poll(Duration.ofMillis(200)).count();
      }
      // One more look, so a duplicate beyond the expected count would be counted too.
      count += consumer.poll(Duration.ofSeconds(1)).count();
      return count;
    }
  }

  private BenchFigure report(BenchFigure figure) {
    out.println(figure.row());
    out.flush();
    return figure;
  }

  private void cleanUp() {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers()))) {
      List<String> topics = admin.listTopics().names().get().stream().filter(name -> name.startsWith(prefix())).toList();
      if (!topics.isEmpty()) {
        admin.deleteTopics(topics).all().get();
      }
    } catch (Exception e) {
      out.println("  (could not delete the benchmark topics " + prefix() + "*: " + e.getMessage() + ")");
    }
    try (Stream<Path> files = Files.exists(workDir) ? Files.walk(workDir) : Stream.empty()) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      out.println("  (could not delete " + workDir + ")");
    }
  }
}
