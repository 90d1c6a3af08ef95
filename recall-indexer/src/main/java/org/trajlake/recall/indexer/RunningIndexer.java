package org.trajlake.recall.indexer;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trajlake.runtime.MetricsEndpoint;

/** A started recall-indexer: its loop thread, its Prometheus endpoint, and what to close when it stops. */
public final class RunningIndexer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunningIndexer.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private final String name;
  private final RecallIndexer loop;
  private final Thread thread;
  private final MetricsEndpoint endpoint;
  private final PrometheusMeterRegistry registry;
  private final List<AutoCloseable> resources;

  RunningIndexer(String name, RecallIndexer loop, Thread thread, MetricsEndpoint endpoint, PrometheusMeterRegistry registry,
      List<AutoCloseable> resources) {
    this.name = name;
    this.loop = loop;
    this.thread = thread;
    this.endpoint = endpoint;
    this.registry = registry;
    this.resources = new ArrayList<>(resources);
  }

  public String name() {
    return name;
  }

  /** The port of the Prometheus endpoint, or -1 when it is off. */
  public int metricsPort() {
    return endpoint == null ? -1 : endpoint.port();
  }

  /** True while the loop runs and no batch is waiting for OpenSearch: what {@code GET /health} answers. */
  public boolean healthy() {
    return thread.isAlive() && loop.healthy();
  }

  /** True while the loop's thread runs (healthy or waiting for OpenSearch). */
  boolean running() {
    return thread.isAlive();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Stops the loop (committing what is written), then closes the clients, the model and the endpoint. */
  @Override
  public void close() {
    loop.close();
    try {
      thread.join(STOP_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warn("{}: the loop did not stop within {} s; closing its clients anyway", name, STOP_TIMEOUT.toSeconds());
    }
    // Last created, first closed.
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        LOG.warn("{}: error while closing {}: {}", name, resources.get(i).getClass().getSimpleName(), e.toString());
      }
    }
    if (endpoint != null) {
      endpoint.close();
    }
    registry.close();
  }
}
