package org.trajlake.joiner;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The joiner's meters. Shared by the processors of every task and stream thread, so the per-tag
 * caches are concurrent.
 */
final class JoinerMetrics {
  private final MeterRegistry registry;
  private final Map<String, Counter> in = new ConcurrentHashMap<>();
  private final Map<String, Counter> out = new ConcurrentHashMap<>();
  private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();
  private final Map<String, Counter> duplicates = new ConcurrentHashMap<>();
  private final Map<String, Counter> stale = new ConcurrentHashMap<>();
  private final Counter orphaned;
  private final Counter expired;
  private final Timer latency;

  JoinerMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.orphaned = Counter.builder("trajlake.orphaned")
        .description("Outcomes sent to the orphaned topic: no trajectory came within the outcome window")
        .register(registry);
    this.expired = Counter.builder("trajlake.joiner.expired")
        .description("Join states dropped after the state retention")
        .register(registry);
    this.latency = Timer.builder("trajlake.e2e.latency")
        .description("From the timestamp of the input record that caused an emission to the emission")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofHours(1))
        .register(registry);
  }

  void in(String topic) {
    counter(in, "trajlake.records.in", "topic", topic, "Records read").increment();
  }

  void out(String topic) {
    counter(out, "trajlake.records.out", "topic", topic, "Records written").increment();
  }

  void deadLettered(String reason) {
    counter(deadLetters, "trajlake.dlq", "reason", reason, "Records sent to the dead-letter topic").increment();
  }

  /** A repeated outcome_id, or a trajectory at the assembly version already held. */
  void duplicate(String topic) {
    counter(duplicates, "trajlake.duplicates", "topic", topic, "Repeated input that changed nothing").increment();
  }

  /** A trajectory older than the assembly version already held. */
  void stale(String topic) {
    counter(stale, "trajlake.stale", "topic", topic, "Trajectories older than the version held, ignored").increment();
  }

  void orphaned() {
    orphaned.increment();
  }

  void expired() {
    expired.increment();
  }

  void latency(long millis) {
    latency.record(Duration.ofMillis(Math.max(0, millis)));
  }

  private Counter counter(Map<String, Counter> cache, String name, String tag, String value, String description) {
    return cache.computeIfAbsent(value,
        v -> Counter.builder(name).description(description).tag(tag, v).register(registry));
  }
}
