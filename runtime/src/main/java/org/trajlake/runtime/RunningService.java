package org.trajlake.runtime;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started Kafka Streams service with its Prometheus endpoint. {@link #start} is all a service's
 * main needs: check inputs, build the topology against a fresh meter registry, run it, serve metrics.
 */
public final class RunningService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunningService.class);
  private static final Duration TOPIC_CHECK_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final String name;
  private final StreamsService streams;
  private final MetricsEndpoint endpoint;
  private final PrometheusMeterRegistry registry;

  private RunningService(String name, StreamsService streams, MetricsEndpoint endpoint, PrometheusMeterRegistry registry) {
    this.name = name;
    this.streams = streams;
    this.endpoint = endpoint;
    this.registry = registry;
  }

  /**
   * Starts service {@code name}.
   *
   * @param inputTopics topics that must exist before it starts
   * @param topology builds the topology, recording its metrics in the registry it is given
   */
  public static RunningService start(String name, StreamsAppConfig config, Collection<String> inputTopics,
      Function<PrometheusMeterRegistry, Topology> topology) {
    StreamsService.requireTopics(config.streamsProperties(), inputTopics, TOPIC_CHECK_TIMEOUT);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("service", name);
    StreamsService streams = new StreamsService(name, topology.apply(registry), config.streamsProperties(), registry);
    MetricsEndpoint endpoint = null;
    try {
      if (config.metricsPort() >= 0) {
        endpoint = MetricsEndpoint.start(config.metricsHost(), config.metricsPort(), registry, streams::healthy);
      }
      streams.start(START_TIMEOUT);
    } catch (RuntimeException e) {
      streams.close();
      if (endpoint != null) {
        endpoint.close();
      }
      throw e;
    }
    LOG.info("{} running (application.id {}){}", name, config.applicationId(),
        endpoint == null ? "" : "; metrics at http://" + config.metricsHost() + ":" + endpoint.port() + "/metrics");
    return new RunningService(name, streams, endpoint, registry);
  }

  public String name() {
    return name;
  }

  public boolean healthy() {
    return streams.healthy();
  }

  /** The input partitions this instance processes now; instances with one application id share them. */
  public Set<TopicPartition> assignedPartitions() {
    return streams.assignedPartitions();
  }

  /** The port of the Prometheus endpoint, or -1 when it is off. */
  public int metricsPort() {
    return endpoint == null ? -1 : endpoint.port();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    try {
      streams.close();
    } finally {
      if (endpoint != null) {
        endpoint.close();
      }
    }
  }
}
