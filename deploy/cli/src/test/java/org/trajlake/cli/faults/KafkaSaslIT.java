package org.trajlake.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;

/**
 * The services on a SASL listener, configured only as the README's SASL/TLS table says: bootstrap.servers
 * on the broker's SASL_PLAINTEXT listener and the same three settings under {@code streams.} (ingest,
 * joiner), {@code consumer.} and {@code producer.} (indexer, sink). Every Kafka client of every service
 * must authenticate there, the start-up topic checks included: those once got {@code bootstrap.servers}
 * alone, so each service refused to start with "cannot reach Kafka".
 */
@RealServers({Component.KAFKA, Component.REGISTRY, Component.OPENSEARCH, Component.ICEBERG})
class KafkaSaslIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  @Test
  void everyServiceReadsAndWritesThroughTheSaslListener(Endpoints servers) throws Exception {
    // Given the services configured for SASL/PLAIN on the broker's SASL listener, where a client that
    // does not authenticate is disconnected
    Map<String, String> sasl = new LinkedHashMap<>();
    sasl.put("bootstrap.servers", servers.saslBootstrapServers());
    for (String client : List.of("streams", "consumer", "producer")) {
      sasl.put(client + ".security.protocol", "SASL_PLAINTEXT");
      sasl.put(client + ".sasl.mechanism", "PLAIN");
      sasl.put(client + ".sasl.jaas.config", servers.saslJaasConfig());
    }
    try (TestPipeline pipeline = TestPipeline.provision(servers, "sasl", sasl);
        GoodLoad load = new GoodLoad(pipeline, "sasl", List.of("sasl-a", "sasl-b"), Duration.ofMillis(100))) {
      ServiceProcess all = pipeline.startAll();

      // When agents write trajectories
      load.start();
      load.awaitMore(30, TIMEOUT);
      Map<String, Set<String>> produced = load.stop();

      // Then they went through every service: the table and the index hold exactly what was produced
      ClosingCheck.awaitEverywhere(pipeline, produced, TIMEOUT);
      assertThat(all.alive()).as(all.logText()).isTrue();
    }
  }
}
