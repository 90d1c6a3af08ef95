package org.trajlake.runtime;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service whose work is one loop on a thread of its own (recall-indexer, iceberg-sink): the thread,
 * its Prometheus endpoint, and the clients it uses. Stopping asks the loop to finish (it commits what it
 * holds), waits for its thread a bounded time, then closes the clients last created first.
 */
public final class RunningLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunningLoop.class);

  private final String name;
  private final List<String> threadPrefixes;
  private final Runnable stopLoop;
  private final Thread thread;
  private final Duration stopTimeout;
  private final MetricsEndpoint endpoint;
  private final PrometheusMeterRegistry registry;
  private final List<AutoCloseable> resources;

  /**
   * @param stopLoop asks the loop to finish; {@link #close()} then waits up to {@code stopTimeout} for {@code thread}
   * @param endpoint the metrics endpoint, or null when it is off
   * @param resources closed in reverse order once the loop has stopped
   */
  public RunningLoop(String name, Runnable stopLoop, Thread thread, Duration stopTimeout, MetricsEndpoint endpoint,
      PrometheusMeterRegistry registry, List<AutoCloseable> resources) {
    this(name, List.of(name), stopLoop, thread, stopTimeout, endpoint, registry, resources);
  }

  /**
   * @param threadPrefixes the names of the loop's threads start with one of these: its own and its
   *     pools' start with {@code name}, a shared pool's (the embedding model's) may not
   */
  public RunningLoop(String name, List<String> threadPrefixes, Runnable stopLoop, Thread thread, Duration stopTimeout,
      MetricsEndpoint endpoint, PrometheusMeterRegistry registry, List<AutoCloseable> resources) {
    this.name = name;
    this.threadPrefixes = List.copyOf(threadPrefixes);
    this.stopLoop = stopLoop;
    this.thread = thread;
    this.stopTimeout = stopTimeout;
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

  /** Whether the loop's thread still runs. */
  public boolean alive() {
    return thread.isAlive();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    stopLoop.run();
    try {
      thread.join(stopTimeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warn("{}: the loop did not stop within {} s; closing its clients anyway. Where its threads are:{}", name,
          stopTimeout.toSeconds(), stacks(threadPrefixes));
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

  /**
   * Closes what a service opened before it failed to start, last opened first, adding any error to
   * {@code failure}; then the registry.
   */
  public static void closeAfterFailedStart(List<AutoCloseable> resources, PrometheusMeterRegistry registry,
      RuntimeException failure) {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception suppressed) {
        failure.addSuppressed(suppressed);
      }
    }
    registry.close();
  }

  /**
   * The stacks of the threads whose names start with any of {@code prefixes} (the loop's own and its
   * pools'), the calling thread's aside: a loop that does not stop or move is stuck somewhere, and
   * this says where.
   */
  static String stacks(List<String> prefixes) {
    StringBuilder out = new StringBuilder();
    Thread.getAllStackTraces().forEach((thread, frames) -> {
      if (thread != Thread.currentThread() && prefixes.stream().anyMatch(thread.getName()::startsWith)) {
        out.append(System.lineSeparator()).append("  \"").append(thread.getName()).append("\" ").append(thread.getState());
        for (StackTraceElement frame : frames) {
          out.append(System.lineSeparator()).append("    at ").append(frame);
        }
      }
    });
    return out.toString();
  }
}
