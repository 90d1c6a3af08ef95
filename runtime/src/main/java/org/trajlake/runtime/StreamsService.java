package org.trajlake.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Kafka Streams application: checks its input topics exist, starts it, waits until it
 * runs, exposes its client metrics (including consumer lag) to Micrometer, and closes it cleanly.
 */
public final class StreamsService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamsService.class);

  private final String name;
  private final KafkaStreams streams;
  private final KafkaStreamsMetrics metrics;
  private final CountDownLatch running = new CountDownLatch(1);
  private volatile KafkaStreams.State state = KafkaStreams.State.CREATED;

  public StreamsService(String name, Topology topology, Properties properties, MeterRegistry registry) {
    this.name = name;
    this.streams = new KafkaStreams(topology, properties);
    // A failure that escapes processing (a lost broker, a fenced producer) loses no data under
    // exactly-once: the thread is replaced and resumes from the last committed transaction.
    streams.setUncaughtExceptionHandler(exception -> {
      LOG.error("{}: stream thread failed; replacing it, it resumes from the last commit", name, exception);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    streams.setStateListener((now, before) -> {
      state = now;
      LOG.info("{}: {} -> {}", name, before, now);
      if (now == KafkaStreams.State.RUNNING) {
        running.countDown();
      }
    });
    this.metrics = new KafkaStreamsMetrics(streams);
    metrics.bindTo(registry);
  }

  /**
   * Fails fast, naming what to do, when an input topic is missing: Kafka Streams would otherwise
   * stop with a MissingSourceTopicException deep in its logs.
   *
   * @param clientProperties the service's own Kafka client settings ({@link CheckAdminProperties})
   */
  public static void requireTopics(Map<?, ?> clientProperties, Collection<String> topics, Duration timeout) {
    Map<String, Object> adminProperties = CheckAdminProperties.from(clientProperties, timeout);
    String bootstrapServers = CheckAdminProperties.bootstrapServers(adminProperties);
    try (Admin admin = Admin.create(adminProperties)) {
      Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      Set<String> missing = new TreeSet<>(topics);
      missing.removeAll(existing);
      if (!missing.isEmpty()) {
        throw new IllegalStateException("topics " + missing + " do not exist on " + bootstrapServers
            + "; create them (trajlake up does) or check topic.prefix");
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot reach Kafka at " + bootstrapServers + " (bootstrap.servers) within "
          + timeout.toSeconds() + " s: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking topics", e);
    }
  }

  /** Starts and waits up to {@code timeout} for the first RUNNING state; it keeps trying after that. */
  public void start(Duration timeout) {
    streams.start();
    try {
      if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("{}: not running after {} s (state {}); still trying", name, timeout.toSeconds(), state);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR) {
      throw new IllegalStateException(name + " failed to start; see the log above");
    }
  }

  /** The input partitions this instance's threads are processing now (active tasks). */
  public Set<TopicPartition> assignedPartitions() {
    Set<TopicPartition> partitions = new HashSet<>();
    streams.metadataForLocalThreads().forEach(thread ->
        thread.activeTasks().forEach(task -> partitions.addAll(task.topicPartitions())));
    return partitions;
  }

  public boolean healthy() {
    return state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
  }

  public KafkaStreams.State state() {
    return state;
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
    metrics.close();
  }
}
