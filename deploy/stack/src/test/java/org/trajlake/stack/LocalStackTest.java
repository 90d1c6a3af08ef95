package org.trajlake.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the launcher does before any server starts, and with nothing running. */
class LocalStackTest {
  @TempDir
  Path dataDir;

  @Test
  void portTakenByAnotherProcessIsReportedBeforeStarting() throws Exception {
    // Given another process listening on the port chosen for Kafka
    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress("127.0.0.1", 0));
      LocalStack stack = new LocalStack(StackConfig.builder().dataDir(dataDir)
          .port(StackSetting.KAFKA_PORT, squatter.getLocalPort()).build());

      // When Kafka is brought up, then the error names the port and the setting, and nothing runs
      assertThatThrownBy(() -> stack.up(EnumSet.of(Component.KAFKA)))
          .isInstanceOf(StackException.class)
          .hasMessageContaining("port " + squatter.getLocalPort())
          .hasMessageContaining("--kafka-port / TRAJLAKE_KAFKA_PORT")
          .hasMessageContaining("already in use");
      assertThat(stack.status(EnumSet.of(Component.KAFKA)).get(0).running()).isFalse();
    }
  }

  @Test
  void serverThatDiesWhileStartingIsReportedWithTheEndOfItsLogAndWhatToDo() throws Exception {
    // Given a registry home whose application jar is broken
    Path servers = dataDir.resolve("servers");
    Files.createDirectories(servers.resolve("apicurio"));
    Files.writeString(servers.resolve("apicurio/quarkus-run.jar"), "not a jar");
    LocalStack stack = new LocalStack(StackConfig.builder().dataDir(dataDir.resolve("data"))
        .set(StackSetting.SERVERS_DIR, servers.toString())
        .port(StackSetting.REGISTRY_PORT, freePort()).port(StackSetting.REGISTRY_MANAGEMENT_PORT, freePort())
        .build());

    // When the registry is brought up, then the error says it exited, quotes its log and says what to check
    assertThatThrownBy(() -> stack.up(EnumSet.of(Component.REGISTRY)))
        .isInstanceOf(StackException.class)
        .hasMessageContaining("registry exited with code 1 while starting")
        .hasMessageContaining("last lines of " + stack.logFile(Component.REGISTRY))
        .hasMessageContaining("io.quarkus.bootstrap.runner.QuarkusEntryPoint")
        .hasMessageContaining("what to do:")
        .hasMessageContaining("--registry-port / TRAJLAKE_REGISTRY_PORT");
    assertThat(stack.status(EnumSet.of(Component.REGISTRY)).get(0).running()).isFalse();
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void statusOfAFreshDataDirShowsNothingRunning() {
    // Given a data dir nothing was ever started in
    LocalStack stack = new LocalStack(StackConfig.builder().dataDir(dataDir).build());

    // When asked for its status
    List<ComponentStatus> status = stack.status();

    // Then every component is listed, none running or healthy, with the address it would use
    assertThat(status).extracting(ComponentStatus::component).containsExactly(Component.values());
    assertThat(status).noneMatch(ComponentStatus::running).noneMatch(ComponentStatus::healthy);
    assertThat(status.get(0).address()).isEqualTo("127.0.0.1:9092");
    assertThat(status.get(3).address()).isEqualTo("jdbc:sqlite:" + dataDir.resolve("catalog.db"));
  }

  @Test
  void downWithNothingRunningStopsNothing() {
    assertThat(new LocalStack(StackConfig.builder().dataDir(dataDir).build()).down()).isEmpty();
  }

  @Test
  void endpointsFollowTheConfiguredPorts() {
    // Given non-default ports
    StackConfig config = StackConfig.builder().dataDir(dataDir).port(StackSetting.KAFKA_PORT, 19092)
        .port(StackSetting.REGISTRY_PORT, 18081).port(StackSetting.OPENSEARCH_PORT, 19200).build();

    // When the endpoints are read
    Endpoints endpoints = new LocalStack(config).endpoints();

    // Then clients are pointed at those ports, the registry at its Confluent API
    assertThat(endpoints.bootstrapServers()).isEqualTo("127.0.0.1:19092");
    assertThat(endpoints.registryUrl()).isEqualTo("http://127.0.0.1:18081/apis/ccompat/v7");
    assertThat(endpoints.openSearchUrl()).isEqualTo("http://127.0.0.1:19200");
    assertThat(endpoints.icebergCatalogProperties()).containsEntry("uri", "jdbc:sqlite:" + dataDir.resolve("catalog.db"));
  }
}
