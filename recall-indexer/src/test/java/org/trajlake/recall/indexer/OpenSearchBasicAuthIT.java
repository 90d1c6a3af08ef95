package org.trajlake.recall.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.trajlake.recall.RecallApp;
import org.trajlake.recall.RecallConfig;
import org.trajlake.recall.RecallRequest;
import org.trajlake.recall.RecallUnavailableException;
import org.trajlake.recall.RecalledTrajectory;
import org.trajlake.recall.RunningRecall;
import org.trajlake.recall.Trajectories;
import org.trajlake.recall.index.OpenSearchSettings;
import org.trajlake.recall.index.TrajectoryDocuments;
import org.trajlake.runtime.Settings;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.TrajectoryStatus;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;

/**
 * The indexer and recall behind HTTP basic authentication, configured only with
 * {@code opensearch.username} and {@code opensearch.password}: every request they send must carry the
 * credentials, bulk bodies included (a client that sends them only after a 401 must be able to send
 * the body again). Wrong credentials stop a service at start, naming the keys to fix; credentials
 * changed under a running indexer make it report itself down, saying so, and lose nothing.
 */
@RealServers({Component.KAFKA, Component.REGISTRY, Component.OPENSEARCH})
class OpenSearchBasicAuthIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String USER = "trajlake-indexer";
  private static final String PASSWORD = "s3cret:with-colon";

  @Test
  void theIndexerAndRecallReadAndWriteWithTheirCredentials(Endpoints servers) throws Exception {
    // Given OpenSearch behind basic authentication, and the indexer given its credentials
    try (BasicAuthGate gate = new BasicAuthGate(servers.openSearchUrl(), USER, PASSWORD);
        IndexerFixture fixture = IndexerFixture.provision(servers, "basic-auth");
        RunningIndexer indexer = fixture.start(credentials(gate, PASSWORD))) {
      // When trajectories arrive
      List<Trajectory> trajectories = IntStream.range(0, 30).mapToObj(i -> Trajectories.coding("auth-" + i, "team-a",
          "Rotate the expiring TLS certificate of service " + i, "{}", TrajectoryStatus.SUCCESS)).toList();
      fixture.produce(fixture.topics.trajectories(), trajectories, Trajectory::getTrajectoryId);

      // Then every one is indexed through the gate
      Map<String, Long> expected = new HashMap<>();
      trajectories.forEach(t -> expected.put(t.getTrajectoryId(), TrajectoryDocuments.version(1, 0)));
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(
          fixture.versions(fixture.names.trajectories(), List.copyOf(expected.keySet()))).isEqualTo(expected));
      assertThat(gate.passed.get()).isPositive();

      // and recall, given the same credentials, finds them through the gate
      Map<String, String> recall = new HashMap<>(credentials(gate, PASSWORD));
      recall.put(OpenSearchSettings.INDEX_PREFIX, fixture.names.prefix());
      recall.put(RecallConfig.PORT, "0");
      try (RunningRecall running = RecallApp.start(RecallConfig.from(Settings.of(recall)))) {
        int before = gate.passed.get();
        List<RecalledTrajectory> found = running.service()
            .recall(RecallRequest.builder("team-a", "rotate the TLS certificate of service 7").build()).trajectories();
        assertThat(found).extracting(RecalledTrajectory::trajectoryId).contains("auth-7");
        assertThat(gate.passed.get()).isGreaterThan(before);
      }

      // When a service is given a wrong password, it refuses to start and names the keys
      Map<String, String> wrong = new HashMap<>(credentials(gate, "not-the-password"));
      wrong.put(OpenSearchSettings.INDEX_PREFIX, fixture.names.prefix());
      wrong.put(RecallConfig.PORT, "0");
      assertThatThrownBy(() -> RecallApp.start(RecallConfig.from(Settings.of(wrong))).close())
          .hasMessageContaining("401").hasMessageContaining(OpenSearchSettings.USERNAME)
          .hasMessageContaining(OpenSearchSettings.PASSWORD);
      assertThatThrownBy(() -> fixture.start(credentials(gate, "not-the-password")).close())
          .hasMessageContaining("401").hasMessageContaining(OpenSearchSettings.USERNAME)
          .hasMessageContaining(OpenSearchSettings.PASSWORD);
      assertThat(indexer.healthy()).isTrue();
    }
  }

  @Test
  void credentialsRotatedUnderARunningIndexerAreNamedAndNothingIsLost(Endpoints servers) throws Exception {
    // Given an indexer writing through the gate with its credentials
    String rotated = "rotated-" + PASSWORD;
    try (BasicAuthGate gate = new BasicAuthGate(servers.openSearchUrl(), USER, PASSWORD);
        IndexerFixture fixture = IndexerFixture.provision(servers, "rotated-auth")) {
      List<Trajectory> before = coding("before-", 10);
      List<Trajectory> during = coding("during-", 10);
      Map<String, String> recallSettings = new HashMap<>(credentials(gate, PASSWORD));
      recallSettings.put(OpenSearchSettings.INDEX_PREFIX, fixture.names.prefix());
      recallSettings.put(RecallConfig.PORT, "0");
      try (RunningIndexer indexer = fixture.start(credentials(gate, PASSWORD));
          RunningRecall recall = RecallApp.start(RecallConfig.from(Settings.of(recallSettings)))) {
        fixture.produce(fixture.topics.trajectories(), before, Trajectory::getTrajectoryId);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(
            fixture.versions(fixture.names.trajectories(), ids(before))).isEqualTo(firstVersions(before)));

        // When the server's password is changed under it and trajectories keep arriving
        gate.acceptOnly(rotated);
        fixture.produce(fixture.topics.trajectories(), during, Trajectory::getTrajectoryId);

        // Then it reports itself down, saying the credentials were refused and which keys set them
        await().atMost(TIMEOUT).until(() -> !indexer.healthy());
        assertThat(indexer.problem()).hasValueSatisfying(problem -> assertThat(problem).contains("HTTP 401")
            .contains("refused the credentials").contains(OpenSearchSettings.USERNAME)
            .contains(OpenSearchSettings.PASSWORD));
        HttpResponse<String> health = IndexerFixture.get(indexer, "/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("\"status\":\"DOWN\"").contains("refused the credentials");
        assertThat(fixture.versions(fixture.names.trajectories(), ids(during))).isEmpty();
        // and recall, still sending the old password, says the same
        assertThatThrownBy(() -> recall.service().recall(RecallRequest.builder("team-a", "renew the signing key").build()))
            .isInstanceOf(RecallUnavailableException.class).hasMessageContaining("refused the credentials")
            .hasMessageContaining(OpenSearchSettings.USERNAME).hasMessageContaining(OpenSearchSettings.PASSWORD);
      }

      // When it is restarted with the new password
      try (RunningIndexer restarted = fixture.start(credentials(gate, rotated))) {
        // Then the trajectories that arrived meanwhile are indexed too: none was lost or skipped
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(
            fixture.versions(fixture.names.trajectories(), ids(during))).isEqualTo(firstVersions(during)));
        await().atMost(TIMEOUT).until(restarted::healthy);
        assertThat(restarted.problem()).isEmpty();
      }
    }
  }

  private static List<Trajectory> coding(String prefix, int count) {
    return IntStream.range(0, count).mapToObj(i -> Trajectories.coding(prefix + i, "team-a",
        "Renew the signing key of service " + i, "{}", TrajectoryStatus.SUCCESS)).toList();
  }

  private static List<String> ids(List<Trajectory> trajectories) {
    return trajectories.stream().map(Trajectory::getTrajectoryId).toList();
  }

  private static Map<String, Long> firstVersions(List<Trajectory> trajectories) {
    Map<String, Long> versions = new HashMap<>();
    trajectories.forEach(t -> versions.put(t.getTrajectoryId(), TrajectoryDocuments.version(1, 0)));
    return versions;
  }

  private static Map<String, String> credentials(BasicAuthGate gate, String password) {
    return Map.of(OpenSearchSettings.URL, gate.url(), OpenSearchSettings.USERNAME, USER,
        OpenSearchSettings.PASSWORD, password);
  }
}
