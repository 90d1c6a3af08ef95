package org.trajlake.cli.bench;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.trajlake.runtime.SendFailures;
import org.trajlake.runtime.Settings;
import org.trajlake.schema.LabelStatus;
import org.trajlake.schema.Outcome;
import org.trajlake.schema.RewardedTrajectory;
import org.trajlake.schema.Step;
import org.trajlake.schema.StepKind;
import org.trajlake.schema.ToolCall;
import org.trajlake.schema.ToolResult;
import org.trajlake.schema.Topics;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.TrajectoryStatus;
import org.trajlake.schema.provision.SchemaProvisioner;
import org.trajlake.schema.provision.TopicProvisioner;
import org.trajlake.schema.registry.HttpSchemaRegistry;
import org.trajlake.schema.registry.SchemaRegistry;
import org.trajlake.sink.CatalogSettings;
import org.trajlake.sink.RunningSink;
import org.trajlake.sink.SinkApp;
import org.trajlake.sink.SinkConfig;
import org.trajlake.sink.maintenance.CompactionOptions;
import org.trajlake.sink.maintenance.CompactionResult;
import org.trajlake.sink.maintenance.Compactor;
import org.trajlake.sink.trainer.SnapshotReader;
import org.trajlake.sink.trainer.TableVersion;
import org.trajlake.sink.table.TableNames;
import org.trajlake.stack.Endpoints;

/**
 * The iceberg-sink on the local stack: a backlog of rewarded trajectories written into a fresh
 * namespace (rows/s, commit latency), the export read rate of flat columns of one snapshot, and the
 * cold lag (record written to Kafka -> readable in a committed snapshot) under a steady trickle.
 */
public final class SinkBenchmark {
  /** The figures the targets apply to. */
  public static final String ROWS_WRITTEN = "sink: rows written (start to last commit)";
  public static final String EXPORT_READ = "export read, flat columns of one snapshot";
  public static final String COMPACTION = "trajlake compact of the sink's table";
  public static final String EXPORT_READ_COMPACTED = "export read, flat columns, after trajlake compact";
  public static final String COLD_LAG_MAX = "cold lag: record written -> in a snapshot, max";

  private static final int EXPORT_WARM_UP_READS = 3;
  private static final int EXPORT_MEASURED_READS = 5;
  private static final List<String> FLAT_COLUMNS = List.of("trajectory_id", "workspace", "agent_id", "task_id", "status",
      "ended_at", "reward", "label_status", "version");

  /**
   * What the benchmark writes.
   *
   * @param trajectories rewarded trajectories in the measured backlog
   * @param steps steps per trajectory
   * @param contentBytes bytes of content per step
   * @param endSpacing time between the end times of consecutive backlog trajectories: how many day
   *     partitions the backlog spans
   * @param warmUp trajectories the sink writes first, unmeasured, into tables of their own
   * @param coldInterval commit interval of the cold-lag run
   * @param trickleSeconds length of the cold-lag run
   * @param writeThreads sink.write.threads of the backlog run
   * @param overrides sink settings of the backlog run, set last (none by default)
   */
  public record Scenario(int trajectories, int steps, int contentBytes, Duration endSpacing, int warmUp,
      Duration coldInterval, int trickleSeconds, int writeThreads, Map<String, String> overrides) {
    public Scenario {
      overrides = Map.copyOf(overrides);
    }
  }

  private static final Instant BACKLOG_START = Instant.parse("2026-11-01T00:00:00Z");

  private final Endpoints endpoints;
  private final Scenario scenario;
  private final int trajectories;
  private final int steps;
  private final int contentBytes;
  private final Duration coldInterval;
  private final int trickleSeconds;
  private final int writeThreads;
  private final boolean keepTables;
  private final PrintWriter out;
  private final String runId = "b" + System.currentTimeMillis();

  /** @param keepTables leave the run's tables in the stack's catalog; by default they are dropped with their files */
  public SinkBenchmark(Endpoints endpoints, Scenario scenario, boolean keepTables, PrintWriter out) {
    this.endpoints = endpoints;
    this.scenario = scenario;
    this.trajectories = scenario.trajectories();
    this.steps = scenario.steps();
    this.contentBytes = scenario.contentBytes();
    this.coldInterval = scenario.coldInterval();
    this.trickleSeconds = scenario.trickleSeconds();
    this.writeThreads = scenario.writeThreads();
    this.keepTables = keepTables;
    this.out = out;
  }

  public String runId() {
    return runId;
  }

  public List<BenchFigure> run() throws Exception {
    List<BenchFigure> figures = new ArrayList<>();
    Duration span = scenario.endSpacing().multipliedBy(Math.max(0, trajectories - 1));
    out.printf("sink benchmark %s: %,d rewarded trajectories x %d steps of %d B ending %d ms apart (%s), after %,d "
        + "unmeasured; then a %d s trickle with a %d s commit interval%n", runId, trajectories, steps, contentBytes,
        scenario.endSpacing().toMillis(), dayPartitions(span), scenario.warmUp(), trickleSeconds,
        coldInterval.toSeconds());
    SchemaRegistry registry = HttpSchemaRegistry.builder(endpoints.registryUrl()).build();
    String namespace = "bench_" + runId;
    // The catalog as the sink and the trainer commands open it (same file IO), not the stack's own.
    Catalog catalog = CatalogSettings.forDataDir(endpoints.dataDir()).open();
    Topics topics = Topics.create("bench." + runId + ".", registry, false);
    try {
      if (scenario.warmUp() > 0) {
        warmUp(registry, catalog);
      }
      provision(registry, topics);
      long produceStart = System.nanoTime();
      produce(topics, trajectories);
      figures.add(report(BenchFigure.rate("produce rewarded trajectories (backlog)", trajectories, "trajectories",
          Duration.ofNanos(System.nanoTime() - produceStart), steps + " steps each")));

      // Backlog: the sink alone, from start to the last trajectory committed.
      // Batches of 25,000 commit as they fill; the 2 s interval only closes the last, partial one.
      Map<String, String> settings = backlogSettings(topics, namespace);
      long start = System.nanoTime();
      Table table;
      try (RunningSink sink = SinkApp.start(SinkConfig.from(Settings.of(settings)))) {
        table = awaitRows(catalog, namespace, trajectories, Duration.ofMinutes(10));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        figures.add(report(BenchFigure.rate(ROWS_WRITTEN, trajectories, "trajectories",
            elapsed, "Parquet zstd, " + steps + " nested steps per row, end times " + scenario.endSpacing().toMillis()
                + " ms apart (" + dayPartitions(span) + "), commit.max.records "
                + settings.get(SinkConfig.COMMIT_MAX_RECORDS) + ", sink.write.threads " + writeThreads + ", after "
                + scenario.warmUp() + " unmeasured" + (scenario.overrides().isEmpty() ? "" : ", set "
                + new TreeMap<>(scenario.overrides())))));
        figures.add(report(BenchFigure.rate("sink: step structs written", (long) trajectories * steps, "steps", elapsed,
            "same run")));
        Timer commit = sink.registry().find("trajlake_sink_commit_seconds").timer();
        Timer write = sink.registry().find("trajlake_sink_write_seconds").timer();
        figures.add(report(BenchFigure.latency("commit latency (catalog commit), mean", commit.mean(TimeUnit.MILLISECONDS),
            commit.count() + " commits, max " + Math.round(commit.max(TimeUnit.MILLISECONDS)) + " ms")));
        figures.add(report(BenchFigure.latency("write of a batch's files, mean", write.mean(TimeUnit.MILLISECONDS),
            write.count() + " batches, max " + Math.round(write.max(TimeUnit.MILLISECONDS)) + " ms")));
      }

      figures.add(report(exportRead(table, EXPORT_READ)));
      // Each commit leaves a small file per day partition, and opening a Parquet file costs ~5 ms
      // here whatever its size; trainers read snapshots after `trajlake compact`, so both count.
      figures.add(report(compact(table)));
      figures.add(report(exportRead(table, EXPORT_READ_COMPACTED)));
      figures.addAll(coldLag(topics, namespace, catalog));
    } finally {
      deleteTopics(topics);
      if (keepTables) {
        out.println("  tables kept in namespace " + namespace + " of the stack's catalog (--keep)");
      } else {
        dropTables(catalog, namespace);
        dropTables(catalog, warmUpNamespace());
      }
      if (catalog instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
    return figures;
  }

  /**
   * The sink on a backlog of its own first, into tables of their own, so the measured backlog does not
   * start in code the JIT has not compiled yet (the first batch of a cold sink wrote in 3 s, later ones
   * in about 1). A sink runs for days; its steady rate is what counts.
   */
  private void warmUp(SchemaRegistry registry, Catalog catalog) throws Exception {
    Topics topics = Topics.create("bench." + runId + ".warmup.", registry, false);
    String namespace = warmUpNamespace();
    try {
      provision(registry, topics);
      produce(topics, scenario.warmUp());
      try (RunningSink sink = SinkApp.start(SinkConfig.from(Settings.of(backlogSettings(topics, namespace))))) {
        awaitRows(catalog, namespace, scenario.warmUp(), Duration.ofMinutes(10));
      }
    } finally {
      deleteTopics(topics);
    }
  }

  private String warmUpNamespace() {
    return "bench_" + runId + "_warmup";
  }

  /**
   * Drops a namespace of the run: its tables with their files (each default run writes 150,000 rows),
   * the namespace, and its directory in a local warehouse once no file is left in it.
   */
  private void dropTables(Catalog catalog, String namespace) {
    Namespace id = Namespace.of(namespace);
    try {
      if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(id)) {
        return;
      }
      for (TableIdentifier table : catalog.listTables(id)) {
        catalog.dropTable(table, true);
      }
      if (catalog instanceof SupportsNamespaces namespaces) {
        namespaces.dropNamespace(id);
      }
      deleteEmptyDirectories(namespace);
    } catch (RuntimeException | IOException e) {
      out.println("  (could not drop the benchmark tables in namespace " + namespace + ": " + e.getMessage() + ")");
    }
  }

  /** Purging deletes files, not directories: the namespace's tree in a local warehouse, if only directories remain. */
  private void deleteEmptyDirectories(String namespace) throws IOException {
    String warehouse = endpoints.icebergCatalogProperties().get("warehouse");
    if (warehouse == null || !warehouse.startsWith("file:")) {
      return;
    }
    Path root = Path.of(URI.create(warehouse)).resolve(namespace);
    if (!Files.isDirectory(root)) {
      return;
    }
    List<Path> tree;
    try (var paths = Files.walk(root)) {
      tree = paths.sorted(Collections.reverseOrder()).toList();
    }
    if (tree.stream().allMatch(Files::isDirectory)) {
      for (Path directory : tree) {
        Files.delete(directory);
      }
    }
  }

  private void provision(SchemaRegistry registry, Topics topics) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers()))) {
      new TopicProvisioner(admin).provision(topics.all());
    }
    new SchemaProvisioner(registry).provision(topics.all());
  }

  /** The backlog: {@code count} rewarded trajectories, their end times {@link Scenario#endSpacing} apart. */
  private void produce(Topics topics, int count) {
    SendFailures failures = new SendFailures();
    try (KafkaProducer<String, RewardedTrajectory> producer = producer(topics)) {
      for (int i = 0; i < count; i++) {
        RewardedTrajectory value = trajectory(i, BACKLOG_START.plus(scenario.endSpacing().multipliedBy(i)));
        producer.send(new ProducerRecord<>(topics.rewardedTrajectories().name(), value.getTrajectory().getTrajectoryId(),
            value), failures);
      }
    }
    failures.check(topics.rewardedTrajectories().name());
  }

  private Map<String, String> backlogSettings(Topics topics, String namespace) {
    Map<String, String> settings = settings(topics, namespace, Duration.ofSeconds(2));
    settings.put(SinkConfig.COMMIT_MAX_RECORDS, "25000");
    settings.put(SinkConfig.WRITE_THREADS, Integer.toString(writeThreads));
    settings.putAll(scenario.overrides());
    return settings;
  }

  private void deleteTopics(Topics topics) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers()))) {
      admin.deleteTopics(topics.all().stream().map(t -> t.name()).toList()).all().get();
    } catch (Exception e) {
      out.println("  (could not delete the benchmark topics " + topics.prefix() + "*: " + e.getMessage() + ")");
    }
  }

  /** How many UTC days end times from {@link #BACKLOG_START} (a midnight) over {@code span} fall on, in words. */
  private static String dayPartitions(Duration span) {
    long days = span.toDays() + 1;
    return days + (days == 1 ? " day partition" : " day partitions");
  }

  /**
   * Reads the flat columns of the current snapshot through the trainer's reader (what export and
   * sample read with, its data files on {@link SnapshotReader#DEFAULT_THREADS} threads) and counts
   * the rows per second.
   */
  private BenchFigure exportRead(Table table, String name) {
    table.refresh();
    long snapshot = table.currentSnapshot().snapshotId();
    // A read of 100,000 rows takes well under a second, most of it at first in code the JIT has not
    // compiled yet (measured: the first read of a snapshot at 130,000 rows/s, the eighth at 330,000).
    // An export of a real snapshot runs for minutes, so the steady rate is what counts: three reads
    // warm up, the median of five is the figure.
    for (int i = 0; i < EXPORT_WARM_UP_READS; i++) {
      readFlatColumns(table, snapshot);
    }
    List<Double> rates = new ArrayList<>();
    long rows = 0;
    for (int i = 0; i < EXPORT_MEASURED_READS; i++) {
      long start = System.nanoTime();
      rows = readFlatColumns(table, snapshot);
      rates.add(rows / ((System.nanoTime() - start) / 1e9));
    }
    Collections.sort(rates);
    double median = rates.get(rates.size() / 2);
    String files = table.snapshot(snapshot).summary().get(SnapshotSummary.TOTAL_DATA_FILES_PROP);
    return new BenchFigure(name, median, "trajectories/s", String.format(
        "median of %d reads of %,d rows after %d warm-up reads (slowest %,.0f/s, fastest %,.0f/s); %d columns, snapshot "
            + "%d (%s data files), %d reader threads", EXPORT_MEASURED_READS, rows, EXPORT_WARM_UP_READS, rates.get(0),
        rates.get(rates.size() - 1), FLAT_COLUMNS.size(), snapshot, files, SnapshotReader.DEFAULT_THREADS));
  }

  private static long readFlatColumns(Table table, long snapshot) {
    long rows = 0;
    SnapshotReader reader = new SnapshotReader(table, new TableVersion(snapshot, null), "");
    try (CloseableIterable<Record> records = reader.rows(FLAT_COLUMNS.toArray(String[]::new))) {
      for (Record ignored : records) {
        rows++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  /** {@code trajlake compact} with its defaults on the table the sink wrote. */
  private BenchFigure compact(Table table) {
    CompactionResult result = new Compactor(table, CompactionOptions.defaults(table)).compact();
    return BenchFigure.rate(COMPACTION, result.rows(), "trajectories", result.elapsed(),
        result.dataFilesRewritten() + " data files and " + result.deleteFilesRemoved() + " delete files -> "
            + result.dataFilesAdded() + " data files, " + result.dataFilesKept() + " kept");
  }

  /** A steady trickle (50 trajectories/s) with commits on the interval: lag from Kafka write to committed snapshot. */
  private List<BenchFigure> coldLag(Topics topics, String namespace, Catalog catalog) throws Exception {
    Map<String, String> settings = settings(topics, namespace, coldInterval);
    List<BenchFigure> figures = new ArrayList<>();
    try (RunningSink sink = SinkApp.start(SinkConfig.from(Settings.of(settings)));
        KafkaProducer<String, RewardedTrajectory> producer = producer(topics)) {
      long end = System.nanoTime() + Duration.ofSeconds(trickleSeconds).toNanos();
      SendFailures failures = new SendFailures();
      int i = trajectories;
      while (System.nanoTime() < end) {
        RewardedTrajectory value = trajectory(i++, Instant.now());
        producer.send(new ProducerRecord<>(topics.rewardedTrajectories().name(), value.getTrajectory().getTrajectoryId(),
            value), failures);
        Thread.sleep(20);
      }
      producer.flush();
      failures.check(topics.rewardedTrajectories().name());
      awaitRows(catalog, namespace, i, coldInterval.plusSeconds(60));
      Timer lag = sink.registry().find("trajlake_sink_cold_lag_seconds").timer();
      double p95 = 0;
      for (ValueAtPercentile v : lag.takeSnapshot().percentileValues()) {
        if (v.percentile() == 0.95) {
          p95 = v.value(TimeUnit.MILLISECONDS);
        }
      }
      figures.add(report(BenchFigure.latency(COLD_LAG_MAX,
          lag.max(TimeUnit.MILLISECONDS), lag.count() + " commits; oldest record of each batch; commit.interval.ms "
              + coldInterval.toMillis() + ", target interval + 10 s")));
      figures.add(report(BenchFigure.latency("cold lag, p95 of commits", p95, "same run")));
    }
    return figures;
  }

  private Map<String, String> settings(Topics topics, String namespace, Duration interval) {
    Map<String, String> settings = new HashMap<>();
    settings.put(SinkConfig.BOOTSTRAP_SERVERS, endpoints.bootstrapServers());
    settings.put(SinkConfig.SCHEMA_REGISTRY_URL, endpoints.registryUrl());
    settings.put(SinkConfig.TOPIC_PREFIX, topics.prefix());
    settings.put(SinkConfig.GROUP_ID, "bench-sink-" + runId);
    settings.put(CatalogSettings.URI, endpoints.icebergCatalogProperties().get("uri"));
    settings.put(CatalogSettings.WAREHOUSE, endpoints.icebergCatalogProperties().get("warehouse"));
    settings.put(CatalogSettings.NAMESPACE, namespace);
    settings.put(SinkConfig.COMMIT_INTERVAL_MS, Long.toString(interval.toMillis()));
    settings.put(SinkConfig.COMMIT_MAX_RECORDS, "100000");
    settings.put(SinkConfig.METRICS_PORT, "-1");
    return settings;
  }

  private Table awaitRows(Catalog catalog, String namespace, long rows, Duration timeout) throws InterruptedException {
    TableIdentifier id = TableIdentifier.of(namespace, TableNames.TRAJECTORIES);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (catalog.tableExists(id)) {
        Table table = catalog.loadTable(id);
        if (table.currentSnapshot() != null
            && Long.parseLong(table.currentSnapshot().summary().getOrDefault("total-records", "0")) >= rows) {
          return table;
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the sink did not commit " + rows + " rows within " + timeout.toSeconds() + " s");
  }

  private KafkaProducer<String, RewardedTrajectory> producer(Topics topics) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    return new KafkaProducer<>(config, new StringSerializer(), topics.rewardedTrajectories().valueSerde().serializer());
  }

  private RewardedTrajectory trajectory(int i, Instant endedAt) {
    String id = runId + "-" + i;
    String filler = "x".repeat(Math.max(0, contentBytes - 40));
    List<Step> list = new ArrayList<>(steps);
    for (int s = 0; s < steps; s++) {
      Step.Builder step = Step.newBuilder().setEventId(id + "-" + s).setSeq(s).setTs(endedAt.minusSeconds(steps - s))
          .setAttributes(Map.of()).setContent("step " + s + " of task " + (i % 500) + " " + filler);
      switch (s % 4) {
        case 0 -> step.setKind(StepKind.OBSERVATION);
        case 1 -> step.setKind(StepKind.THOUGHT);
        case 2 -> step.setKind(StepKind.TOOL_CALL)
            .setToolCall(ToolCall.newBuilder().setName("shell").setCallId("c" + s).setArguments("{\"cmd\":\"mvn test\"}").build());
        default -> step.setKind(StepKind.TOOL_RESULT)
            .setToolResult(ToolResult.newBuilder().setCallId("c" + (s - 1)).setOutput("ok").setIsError(false).build());
      }
      list.add(step.build());
    }
    double reward = (i % 11) / 10.0;
    Trajectory trajectory = Trajectory.newBuilder().setTrajectoryId(id).setWorkspace("ws-" + (i % 4))
        .setAgentId("coder@1.0").setTaskId("task-" + (i % 500)).setStatus(TrajectoryStatus.SUCCESS)
        .setStartedAt(endedAt.minusSeconds(steps + 1)).setEndedAt(endedAt).setSteps(list).setTags(List.of("bench"))
        .setAttributes(Map.of()).setVersion(1).setAssembledAt(endedAt).build();
    Outcome outcome = Outcome.newBuilder().setOutcomeId(id + "-o").setTrajectoryId(id).setWorkspace("ws-" + (i % 4))
        .setKind("tests_passed").setValue(reward).setTs(endedAt).setSource("ci").setAttributes(Map.of()).build();
    return RewardedTrajectory.newBuilder().setTrajectory(trajectory).setOutcomes(List.of(outcome)).setReward(reward)
        .setRewardComponents(Map.of("tests_passed", reward)).setLabelStatus(LabelStatus.LABELED).setRewardSpec("bench")
        .setVersion(1).setRewardedAt(endedAt).build();
  }

  private BenchFigure report(BenchFigure figure) {
    out.println(figure.row());
    out.flush();
    return figure;
  }
}
