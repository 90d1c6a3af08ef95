package org.trajlake.recall.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.trajlake.recall.RecallMode;

/**
 * The recall meters: {@code trajlake.recall.requests} (counter, by endpoint and HTTP status) and
 * {@code trajlake.recall.latency} (timer with p50/p95/p99, by endpoint and mode, answered requests
 * only). In Prometheus: {@code trajlake_recall_requests_total} and {@code trajlake_recall_latency_seconds}.
 */
public final class RecallMetrics {
  public static final String REQUESTS = "trajlake.recall.requests";
  public static final String LATENCY = "trajlake.recall.latency";

  private final MeterRegistry registry;

  public RecallMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * @param endpoint {@code recall}, {@code recall_steps}, {@code mcp_recall_trajectories}, ...
   * @param status the HTTP status answered (MCP: 200, or the status the same error gets over HTTP)
   * @param mode the recall's mode, or null when the request never got that far
   */
  public void record(String endpoint, int status, RecallMode mode, long nanos) {
    Counter.builder(REQUESTS).description("Recall requests by endpoint and HTTP status")
        .tag("endpoint", endpoint).tag("status", Integer.toString(status))
        .register(registry).increment();
    if (status == 200 && mode != null) {
      Timer.builder(LATENCY).description("Time to answer a recall, embedding and fusion included")
          .tag("endpoint", endpoint).tag("mode", mode.label())
          .publishPercentiles(0.5, 0.95, 0.99)
          .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }
  }
}
