package org.trajlake.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerHomesTest {
  @TempDir
  Path root;

  @Test
  void distributionLayoutIsFoundAboveTheCode() throws IOException {
    // Given a distribution: lib/ with the code, servers/kafka/lib beside it
    Files.createDirectories(root.resolve("servers/kafka/lib"));
    Path code = Files.createDirectories(root.resolve("lib"));

    // When the kafka home is looked up from the code's location
    Path home = new ServerHomes(Optional.empty(), List.of(code)).home("kafka", "lib");

    // Then it is the distribution's
    assertThat(home).isEqualTo(root.resolve("servers/kafka"));
  }

  @Test
  void buildTreeLayoutIsFoundFromAModuleDirectory() throws IOException {
    // Given a build tree where deploy/servers/opensearch has been built
    Files.createDirectories(root.resolve("deploy/servers/opensearch/target/opensearch/plugins/opensearch-knn"));
    Path module = Files.createDirectories(root.resolve("recall-indexer"));

    // When looked up from a module's working directory
    Path home = new ServerHomes(Optional.empty(), List.of(module)).home("opensearch", "plugins/opensearch-knn");

    // Then the built home is used
    assertThat(home).isEqualTo(root.resolve("deploy/servers/opensearch/target/opensearch"));
  }

  @Test
  void configuredDirectoryWithoutTheServerIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> new ServerHomes(Optional.of(root), List.of()).home("apicurio", "quarkus-run.jar"))
        .isInstanceOf(StackException.class)
        .hasMessageContaining("--servers-dir / TRAJLAKE_SERVERS_DIR")
        .hasMessageContaining("quarkus-run.jar");
  }

  @Test
  void missingHomeTellsHowToBuildIt() {
    assertThatThrownBy(() -> new ServerHomes(Optional.empty(), List.of(root)).home("kafka", "lib"))
        .isInstanceOf(StackException.class)
        .hasMessageContaining("mvn -B package -DskipTests");
  }
}
