package org.trajlake.recall.indexer;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.opensearch.client.transport.OpenSearchTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trajlake.recall.embed.CachingEmbedder;
import org.trajlake.recall.embed.Embedder;
import org.trajlake.recall.embed.OnnxEmbedder;
import org.trajlake.recall.index.DocumentWriter;
import org.trajlake.recall.index.IndexAdmin;
import org.trajlake.recall.index.IndexNames;
import org.trajlake.recall.index.OpenSearchClients;
import org.trajlake.recall.index.OpenSearchSettings;
import org.trajlake.recall.index.TrajectoryDocuments;
import org.trajlake.runtime.DeadLetterProducer;
import org.trajlake.runtime.LoopWatch;
import org.trajlake.runtime.MetricsEndpoint;
import org.trajlake.runtime.RunningLoop;
import org.trajlake.runtime.ServiceMain;
import org.trajlake.runtime.StreamsService;
import org.trajlake.schema.Topics;

/**
 * Runs the recall-indexer: {@code <prefix>trajectories} and {@code <prefix>trajectories.rewarded}
 * into the OpenSearch aliases {@code <index.prefix>trajectories} and {@code <index.prefix>steps},
 * records it cannot index to {@code <prefix>dlq}.
 */
public final class IndexerApp {
  public static final String NAME = "recall-indexer";
  private static final Logger LOG = LoggerFactory.getLogger(IndexerApp.class);
  private static final Duration TOPIC_CHECK_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration OPENSEARCH_START_TIMEOUT = Duration.ofSeconds(30);

  private IndexerApp() {}

  /**
   * Checks the topics, loads the model, creates or checks the indexes, and starts the loop on a
   * thread of its own, with the Prometheus endpoint; close the result to stop it.
   *
   * @throws IllegalStateException naming what to fix: a missing topic, OpenSearch out of reach, an
   *     index built for another embedding model
   */
  public static RunningIndexer start(IndexerConfig config) {
    return start(config, BulkStage.BulkObserver.NONE);
  }

  /** {@code [--config FILE] [--set KEY=VALUE]...}; stops cleanly on SIGTERM or Ctrl-C. */
  public static void main(String[] args) {
    ServiceMain.run(NAME, args, settings -> start(IndexerConfig.from(settings)));
  }

  static RunningIndexer start(IndexerConfig config, BulkStage.BulkObserver observer) {
    Topics topics = Topics.create(config.topicPrefix(), config.serdeConfig());
    List<String> inputs = List.of(topics.trajectories().name(), topics.rewardedTrajectories().name());
    List<String> required = new ArrayList<>(inputs);
    required.add(topics.deadLetters().name());
    StreamsService.requireTopics(config.consumerProperties(), required, TOPIC_CHECK_TIMEOUT);

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("service", NAME);
    List<AutoCloseable> resources = new ArrayList<>();
    KafkaConsumer<byte[], byte[]> consumer = null;
    try {
      IndexerMetrics metrics = new IndexerMetrics(registry);
      OnnxEmbedder model = OnnxEmbedder.load(config.embeddingModel(), config.embeddingThreads());
      resources.add(model);
      Embedder cached = config.embeddingCache() > 0 ? new CachingEmbedder(model, config.embeddingCache()) : model;
      TimedEmbedder embedder = new TimedEmbedder(cached, metrics.embedLatency());
      OpenSearchTransport transport = OpenSearchClients.transport(config.openSearch());
      resources.add(transport);
      IndexNames names = config.openSearch().indexNames();
      TrajectoryDocuments documents = new TrajectoryDocuments(config.embeddingMaxWords());
      IndexAdmin admin = new IndexAdmin(transport, names);
      ensureIndexes(admin, embedder, config, documents);
      DocumentWriter writer = new DocumentWriter(OpenSearchClients.client(transport), names, embedder, config.embedSteps(),
          admin.bulkFormat());

      KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(config.producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
      resources.add(producer);
      consumer = new KafkaConsumer<>(config.consumerProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
      // Consumer lag (records-lag-max) and the rest of the client's metrics.
      KafkaClientMetrics consumerMetrics = new KafkaClientMetrics(consumer);
      consumerMetrics.bindTo(registry);
      resources.add(consumerMetrics);

      ExecutorService bulkPool = Executors.newFixedThreadPool(config.bulkConcurrency(), runnable -> {
        Thread thread = new Thread(runnable, NAME + "-bulk");
        thread.setDaemon(true);
        return thread;
      });
      resources.add(bulkPool::shutdownNow);
      Clock clock = Clock.systemUTC();
      // The embedding threads are named for the model's pool, not the service: their stacks say where an embedding hangs.
      LoopWatch watch = LoopWatch.start(NAME, IndexerConfig.STALL_MS, config.stallTimeout(), RunningIndexer.threadPrefixes());
      resources.add(watch);
      BulkStage bulk = new BulkStage(writer::write, config.bulkConcurrency(), bulkPool, embedder::threadNanos, metrics,
          names, clock, observer, watch::beat);
      BatchProcessor processor = new BatchProcessor(new RecordDecoder(topics, documents, config.indexSteps()), bulk,
          new DeadLetterProducer(producer, topics.deadLetters().name(), NAME, clock), metrics);
      RecallIndexer loop = new RecallIndexer(consumer, inputs, processor, metrics, config.backoff(), config.pollTimeout(),
          watch);
      Thread thread = new Thread(loop, NAME);
      MetricsEndpoint endpoint = config.metricsPort() < 0 ? null
          : MetricsEndpoint.start(config.metricsHost(), config.metricsPort(), registry,
              () -> thread.isAlive() && loop.healthy(), loop::problem);
      thread.start();
      consumer = null; // the loop owns it now, and closes it
      LOG.info("{} running (group {}, {} into {} and {}, model {}){}", NAME, config.groupId(), inputs, names.trajectories(),
          names.steps(), embedder.model(),
          endpoint == null ? "" : "; metrics at http://" + config.metricsHost() + ":" + endpoint.port() + "/metrics");
      return new RunningIndexer(NAME, loop, thread, endpoint, registry, resources);
    } catch (RuntimeException e) {
      if (consumer != null) {
        consumer.close();
      }
      RunningLoop.closeAfterFailedStart(resources, registry, e);
      throw e;
    }
  }

  /**
   * Creates or checks the indexes, waiting a bounded time for OpenSearch to answer (it may still be
   * starting). A mismatched model is refused at once: waiting would not change it.
   */
  private static void ensureIndexes(IndexAdmin admin, Embedder embedder, IndexerConfig config, TrajectoryDocuments documents) {
    Backoff backoff = config.backoff();
    long deadline = System.nanoTime() + OPENSEARCH_START_TIMEOUT.toNanos();
    for (int attempt = 0; ; attempt++) {
      try {
        admin.ensure(embedder.model(), embedder.dimension(), config.indexSettings(), documents);
        return;
      } catch (UncheckedIOException | IllegalStateException e) {
        // Two instances starting at once may both create the first index: the second simply checks again.
        boolean passing = e instanceof UncheckedIOException || String.valueOf(e.getMessage()).contains("resource_already_exists");
        if (!passing) {
          throw e;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("cannot reach OpenSearch at " + config.openSearch().url() + " ("
              + OpenSearchSettings.URL + ") within " + OPENSEARCH_START_TIMEOUT.toSeconds() + " s: " + e.getMessage(), e);
        }
        LOG.warn("{}: OpenSearch not ready ({}); trying again", NAME, e.getMessage());
        try {
          Thread.sleep(backoff.delay(attempt).toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for OpenSearch", interrupted);
        }
      }
    }
  }
}
