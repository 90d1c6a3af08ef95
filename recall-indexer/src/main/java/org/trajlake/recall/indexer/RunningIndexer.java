package org.trajlake.recall.indexer;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.trajlake.recall.embed.OnnxEmbedder;
import org.trajlake.runtime.MetricsEndpoint;
import org.trajlake.runtime.RunningLoop;

/** A started recall-indexer: its loop thread, its Prometheus endpoint, and what to close when it stops. */
public final class RunningIndexer implements AutoCloseable {
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private final RecallIndexer loop;
  private final RunningLoop running;

  RunningIndexer(String name, RecallIndexer loop, Thread thread, MetricsEndpoint endpoint, PrometheusMeterRegistry registry,
      List<AutoCloseable> resources) {
    this.loop = loop;
    this.running = new RunningLoop(name, threadPrefixes(), loop::close, thread, STOP_TIMEOUT, endpoint, registry,
        resources);
  }

  /** The indexer's threads: the loop, its bulk pool and its watch ({@code recall-indexer*}), and the embedding pool. */
  static List<String> threadPrefixes() {
    return List.of(IndexerApp.NAME, OnnxEmbedder.THREAD_NAME_PREFIX);
  }

  public String name() {
    return running.name();
  }

  /** The port of the Prometheus endpoint, or -1 when it is off. */
  public int metricsPort() {
    return running.metricsPort();
  }

  /** True while the loop runs and no batch is waiting for OpenSearch: what {@code GET /health} answers. */
  public boolean healthy() {
    return running.alive() && loop.healthy();
  }

  /**
   * Why the indexer is not healthy, when it knows (a batch OpenSearch refuses, and why; the loop's
   * crash): what {@code GET /health} adds to a DOWN.
   */
  public Optional<String> problem() {
    return loop.problem();
  }

  /** True while the loop's thread runs (healthy or waiting for OpenSearch). */
  boolean running() {
    return running.alive();
  }

  public PrometheusMeterRegistry registry() {
    return running.registry();
  }

  /** Stops the loop (committing what is written), then closes the clients, the model and the endpoint. */
  @Override
  public void close() {
    running.close();
  }
}
