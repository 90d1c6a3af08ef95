package org.trajlake.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.trajlake.ingest.IngestApp;
import org.trajlake.ingest.IngestConfig;
import org.trajlake.joiner.JoinerApp;
import org.trajlake.joiner.JoinerConfig;
import org.trajlake.recall.RecallApp;
import org.trajlake.recall.RecallConfig;
import org.trajlake.recall.RunningRecall;
import org.trajlake.recall.index.OpenSearchSettings;
import org.trajlake.recall.indexer.IndexerApp;
import org.trajlake.recall.indexer.IndexerConfig;
import org.trajlake.recall.indexer.RunningIndexer;
import org.trajlake.runtime.RunningService;
import org.trajlake.runtime.Settings;
import org.trajlake.runtime.StreamsAppConfig;
import org.trajlake.sink.CatalogSettings;
import org.trajlake.sink.RunningSink;
import org.trajlake.sink.SinkApp;
import org.trajlake.sink.SinkConfig;
import org.trajlake.stack.Endpoints;

/**
 * The five services in one JVM ({@code trajlake run all}, the single-machine default, and the demo):
 * ingest-streams, reward-joiner, recall-indexer, the recall service and iceberg-sink. Every service
 * reads the same settings; a key prefixed with a service's name ({@code sink.commit.interval.ms})
 * applies to that service only and wins over the plain key. Where the local stack runs is the default
 * for the connection keys, so nothing needs setting on one machine.
 */
final class AllServices implements AutoCloseable {
  /**
   * One running service, for the status table.
   *
   * @param problem empty while the service is healthy, else what is wrong (or "not healthy" when it cannot say)
   */
  record Service(String name, String where, AutoCloseable handle, Supplier<Optional<String>> problem) {}

  private final List<Service> services;
  private final RunningRecall recall;

  private AllServices(List<Service> services, RunningRecall recall) {
    this.services = services;
    this.recall = recall;
  }

  /** The connection settings of the local stack at {@code endpoints}, as defaults under the user's settings. */
  static Map<String, String> stackDefaults(Endpoints endpoints) {
    Map<String, String> defaults = new HashMap<>();
    defaults.put(StreamsAppConfig.BOOTSTRAP_SERVERS, endpoints.bootstrapServers());
    defaults.put(StreamsAppConfig.SCHEMA_REGISTRY_URL, endpoints.registryUrl());
    defaults.put(StreamsAppConfig.STATE_DIR, endpoints.dataDir().resolve("streams").toString());
    defaults.put(OpenSearchSettings.URL, endpoints.openSearchUrl());
    defaults.put(CatalogSettings.NAME, endpoints.icebergCatalogName());
    defaults.put(CatalogSettings.NAMESPACE, endpoints.icebergNamespace());
    defaults.put(CatalogSettings.URI, endpoints.icebergCatalogProperties().get("uri"));
    defaults.put(CatalogSettings.WAREHOUSE, endpoints.dataDir().resolve("warehouse").toString());
    return defaults;
  }

  /** The five services' configs, each read from the shared settings as that service sees them. */
  record Configs(SinkConfig sink, IndexerConfig indexer, JoinerConfig joiner, IngestConfig ingest,
      RecallConfig recall) {
    static Configs from(Settings settings) {
      return new Configs(SinkConfig.from(settings.scopedTo("sink")), IndexerConfig.from(settings.scopedTo("indexer")),
          JoinerConfig.from(settings.scopedTo("joiner")), IngestConfig.from(settings.scopedTo("ingest")),
          RecallConfig.from(settings.scopedTo("recall")));
    }
  }

  /** Starts the five services; if one fails to start, those already started are stopped again. */
  static AllServices start(Configs configs) {
    List<Service> started = new ArrayList<>();
    try {
      // Downstream first, so nothing upstream produces into a topic whose consumer is still starting.
      RunningSink sink = SinkApp.start(configs.sink());
      started.add(new Service("iceberg-sink", metrics(sink.metricsPort()), sink,
          () -> problem(sink.healthy(), sink.problem())));
      RunningIndexer indexer = IndexerApp.start(configs.indexer());
      started.add(new Service("recall-indexer", metrics(indexer.metricsPort()), indexer,
          () -> problem(indexer.healthy(), indexer.problem())));
      RunningService joiner = JoinerApp.start(configs.joiner());
      started.add(new Service("reward-joiner", metrics(joiner.metricsPort()), joiner,
          () -> problem(joiner.healthy(), Optional.empty())));
      RunningService ingest = IngestApp.start(configs.ingest());
      started.add(new Service("ingest-streams", metrics(ingest.metricsPort()), ingest,
          () -> problem(ingest.healthy(), Optional.empty())));
      RunningRecall recall = RecallApp.start(configs.recall());
      started.add(new Service("recall", "http://127.0.0.1:" + recall.port() + "/v1/recall, MCP at /mcp", recall,
          Optional::empty));
      return new AllServices(List.copyOf(started), recall);
    } catch (RuntimeException e) {
      closeAll(started, e);
      throw e;
    }
  }

  List<Service> services() {
    return services;
  }

  /** "name: what is wrong" for each service that is not healthy now, in start order. */
  List<String> unhealthy() {
    return unhealthy(services);
  }

  static List<String> unhealthy(List<Service> services) {
    List<String> problems = new ArrayList<>();
    services.forEach(service -> service.problem().get()
        .ifPresent(problem -> problems.add(service.name() + ": " + problem)));
    return problems;
  }

  /** A service's health as a problem: none while healthy, else what it says, else that it is not healthy. */
  static Optional<String> problem(boolean healthy, Optional<String> problem) {
    return healthy ? Optional.empty() : Optional.of(problem.orElse("not healthy"));
  }

  /** The recall endpoint, e.g. {@code http://127.0.0.1:8090/v1/recall}. */
  String recallUrl() {
    return "http://127.0.0.1:" + recall.port() + "/v1/recall";
  }

  @Override
  public void close() {
    RuntimeException failure = new RuntimeException("stopping the services failed");
    closeAll(services, failure);
    if (failure.getSuppressed().length > 0) {
      throw failure;
    }
  }

  private static void closeAll(List<Service> services, RuntimeException collector) {
    for (int i = services.size() - 1; i >= 0; i--) {
      try {
        services.get(i).handle().close();
      } catch (Exception e) {
        collector.addSuppressed(e);
      }
    }
  }

  private static String metrics(int port) {
    return port < 0 ? "-" : "metrics at http://127.0.0.1:" + port + "/metrics";
  }
}
