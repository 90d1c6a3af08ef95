package org.trajlake.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** What ingest-streams counts, on the service's Prometheus endpoint. */
final class IngestMetrics {
  private final MeterRegistry registry;
  private final Counter in;
  private final Counter duplicates;
  private final Timer endToEnd;

  IngestMetrics(MeterRegistry registry, String eventsTopic) {
    this.registry = registry;
    this.in = Counter.builder("trajlake.records.in").tag("topic", eventsTopic)
        .description("Records read").register(registry);
    this.duplicates = Counter.builder("trajlake.duplicates")
        .description("Events dropped because their event_id was already seen").register(registry);
    this.endToEnd = Timer.builder("trajlake.e2e.latency")
        .description("From the END event reaching Kafka to its trajectory being emitted")
        .publishPercentiles(0.5, 0.95, 0.99).register(registry);
  }

  void in() {
    in.increment();
  }

  void duplicate() {
    duplicates.increment();
  }

  void deadLettered(String reason) {
    Counter.builder("trajlake.dlq").tag("reason", reason).description("Records sent to the dead-letter topic")
        .register(registry).increment();
  }

  void emitted(String topic, String status, boolean missingSteps) {
    Counter.builder("trajlake.records.out").tag("topic", topic).tag("status", status)
        .tag("missing_steps", Boolean.toString(missingSteps))
        .description("Trajectories emitted").register(registry).increment();
  }

  void endToEnd(Duration latency) {
    if (!latency.isNegative()) {
      endToEnd.record(latency);
    }
  }
}
