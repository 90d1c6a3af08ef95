package org.trajlake.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;

/**
 * All five services as separate processes of the distribution under a steady load of good
 * trajectories and outcomes; each is killed with SIGKILL in turn and started again while the load
 * goes on. Unlike StreamsCrashIT (the two Streams apps, between waves) and SinkCrashIT (the sink
 * alone), the whole pipeline runs and keeps receiving: per workspace, the trajectories produced must
 * equal the rows of the current Iceberg snapshot and the documents of the index, none lost and none
 * twice. recall keeps no state: killed, it must answer again once restarted.
 */
@RealServers({Component.KAFKA, Component.REGISTRY, Component.OPENSEARCH, Component.ICEBERG})
class ServiceKillsUnderLoadIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  @Test
  void everyServiceKilledUnderLoadResumesAndNothingIsLostOrDoubled(Endpoints servers) {
    // Given the five services, each in its own process, and trajectories arriving every 100 ms
    try (TestPipeline pipeline = TestPipeline.provision(servers, "kills", Map.of());
        GoodLoad load = new GoodLoad(pipeline, "kills", List.of("kills-a", "kills-b"), Duration.ofMillis(100))) {
      Map<String, ServiceProcess> services = pipeline.startEach();
      load.start();
      load.awaitMore(10, TIMEOUT);

      // When each stateful service is killed with SIGKILL mid-stream and started again on its state
      for (String service : List.of("ingest", "joiner", "indexer", "sink")) {
        services.get(service).killAndRestart();
        load.awaitMore(10, TIMEOUT);
      }
      // ... and recall is killed, and started again
      ServiceProcess recall = services.get("recall");
      recall.killAndRestart();
      load.awaitMore(10, TIMEOUT);
      Map<String, Set<String>> produced = load.stop();

      // Then per workspace the table and the index hold exactly the trajectories produced
      ClosingCheck.awaitEverywhere(pipeline, produced, TIMEOUT);
      // ... recall answers again, from the same index
      await("recall answers after its restart").atMost(TIMEOUT).untilAsserted(() -> {
        RecallProbe probe = RecallProbe.ask(recall.recallPort(), "kills-a", "flaky test");
        assertThat(probe.status()).as(probe.body()).isEqualTo(200);
        assertThat(probe.body()).contains("\"trajectory_id\":\"kills-");
      });
      // ... and every service is still up
      services.values().forEach(s -> assertThat(s.alive()).as(s.name() + "\n" + s.logText()).isTrue());
    }
  }
}
