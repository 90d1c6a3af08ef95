package org.trajlake.sink;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.trajlake.runtime.MetricsEndpoint;
import org.trajlake.runtime.RunningLoop;
import org.trajlake.sink.commit.IcebergSink;

/** A started iceberg-sink: its loop thread, its Prometheus endpoint, and what to close when it stops. */
public final class RunningSink implements AutoCloseable {
  // Stopping commits what the loop holds: writing a full batch's files can take a while.
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(120);

  private final IcebergSink sink;
  private final RunningLoop running;

  RunningSink(String name, IcebergSink sink, Thread thread, MetricsEndpoint endpoint, PrometheusMeterRegistry registry,
      List<AutoCloseable> resources) {
    this.sink = sink;
    this.running = new RunningLoop(name, sink::close, thread, STOP_TIMEOUT, endpoint, registry, resources);
  }

  public String name() {
    return running.name();
  }

  /** The port of the Prometheus endpoint, or -1 when it is off. */
  public int metricsPort() {
    return running.metricsPort();
  }

  /** True while the loop runs and is not waiting out a failure: what {@code GET /health} answers. */
  public boolean healthy() {
    return running.alive() && sink.healthy();
  }

  /** Why the sink is not healthy, when it knows: what {@code GET /health} adds to a DOWN. */
  public Optional<String> problem() {
    return sink.problem();
  }

  /** Snapshots committed since start. */
  public long committedSnapshots() {
    return sink.committedSnapshots();
  }

  public PrometheusMeterRegistry registry() {
    return running.registry();
  }

  /** Commits what the loop holds, stops it, then closes the clients, the catalog and the endpoint. */
  @Override
  public void close() {
    running.close();
  }
}
