package org.trajlake.sink;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trajlake.runtime.MetricsEndpoint;
import org.trajlake.sink.commit.IcebergSink;

/** A started iceberg-sink: its loop thread, its Prometheus endpoint, and what to close when it stops. */
public final class RunningSink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunningSink.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(120);

  private final String name;
  private final IcebergSink sink;
  private final Thread thread;
  private final MetricsEndpoint endpoint;
  private final PrometheusMeterRegistry registry;
  private final List<AutoCloseable> resources;

  RunningSink(String name, IcebergSink sink, Thread thread, MetricsEndpoint endpoint, PrometheusMeterRegistry registry,
      List<AutoCloseable> resources) {
    this.name = name;
    this.sink = sink;
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

  public boolean healthy() {
    return thread.isAlive() && sink.healthy();
  }

  /** Snapshots committed since start. */
  public long committedSnapshots() {
    return sink.committedSnapshots();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Commits what the loop holds, stops it, then closes the clients, the catalog and the endpoint. */
  @Override
  public void close() {
    sink.close();
    try {
      thread.join(STOP_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warn("{}: the loop did not stop within {} s; closing its clients anyway", name, STOP_TIMEOUT.toSeconds());
    }
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
