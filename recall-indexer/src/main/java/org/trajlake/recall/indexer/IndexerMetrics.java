package org.trajlake.recall.indexer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/** The indexer's meters, named like the other services' where they mean the same. */
final class IndexerMetrics {
  private final MeterRegistry registry;
  private final Map<String, Counter> in = new ConcurrentHashMap<>();
  private final Map<String, Counter> tombstones = new ConcurrentHashMap<>();
  private final Map<String, Counter> indexed = new ConcurrentHashMap<>();
  private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();
  private final Counter stale;
  private final Counter retries;
  private final Timer bulkLatency;
  private final Timer embedLatency;
  private final Timer endToEnd;

  IndexerMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.stale = Counter.builder("trajlake.stale")
        .description("Documents OpenSearch refused as an older or equal version than the one indexed (409): harmless")
        .register(registry);
    this.retries = Counter.builder("trajlake.indexer.bulk.retries")
        .description("Attempts to write a batch again after OpenSearch (or the registry) failed it, wholly or in part")
        .register(registry);
    this.bulkLatency = Timer.builder("trajlake.indexer.bulk.latency")
        .description("Duration of one bulk request, embeddings excluded")
        .publishPercentiles(0.5, 0.95, 0.99)
        .register(registry);
    this.embedLatency = Timer.builder("trajlake.indexer.embed.latency")
        .description("Duration of embedding one batch's texts in-process, cache hits included")
        .publishPercentiles(0.5, 0.95, 0.99)
        .register(registry);
    this.endToEnd = Timer.builder("trajlake.e2e.latency")
        .description("From the input record's timestamp to the bulk request that indexed it")
        .publishPercentiles(0.5, 0.95, 0.99)
        .register(registry);
  }

  /** 1 while the indexer is waiting for OpenSearch (or the registry) to take a batch, else 0. */
  void failing(BooleanSupplier failing) {
    Gauge.builder("trajlake.indexer.failing", () -> failing.getAsBoolean() ? 1 : 0)
        .description("1 while a batch is being retried, consumption paused")
        .register(registry);
  }

  void in(String topic) {
    counter(in, "trajlake.records.in", "topic", topic, "Records read").increment();
  }

  void tombstone(String topic) {
    counter(tombstones, "trajlake.indexer.tombstones", "topic", topic, "Records without a value, skipped").increment();
  }

  void indexed(String index) {
    counter(indexed, "trajlake.indexed", "index", index, "Documents indexed (created or replaced)").increment();
  }

  void stale() {
    stale.increment();
  }

  void deadLettered(String reason) {
    counter(deadLetters, "trajlake.dlq", "reason", reason, "Records sent to the dead-letter topic").increment();
  }

  void retry() {
    retries.increment();
  }

  void bulk(long nanos) {
    bulkLatency.record(Duration.ofNanos(nanos));
  }

  Timer embedLatency() {
    return embedLatency;
  }

  void endToEnd(long millis) {
    endToEnd.record(Duration.ofMillis(Math.max(0, millis)));
  }

  private Counter counter(Map<String, Counter> cache, String name, String tag, String value, String description) {
    return cache.computeIfAbsent(value, v -> Counter.builder(name).description(description).tag(tag, v).register(registry));
  }
}
