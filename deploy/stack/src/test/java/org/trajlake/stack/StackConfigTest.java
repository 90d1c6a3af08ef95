package org.trajlake.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackConfigTest {

  @Test
  void defaultsMatchTheDocumentedPortsAndDataDir() {
    // Given no flags and an empty environment
    // When the config is built
    StackConfig config = StackConfig.fromEnvironment(Map.of());

    // Then the documented defaults apply
    assertThat(config.port(StackSetting.KAFKA_PORT)).isEqualTo(9092);
    assertThat(config.port(StackSetting.REGISTRY_PORT)).isEqualTo(8081);
    assertThat(config.port(StackSetting.OPENSEARCH_PORT)).isEqualTo(9200);
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.dataDir()).isEqualTo(Path.of(".trajlake").toAbsolutePath().normalize());
    assertThat(config.serverJavaHome()).isEmpty();
    assertThat(config.stopWithParent()).isFalse();
  }

  @Test
  void environmentVariablesOverrideDefaultsAndFlagsOverrideBoth() {
    // Given TRAJLAKE_* variables and one explicit flag value
    Map<String, String> env = Map.of("TRAJLAKE_KAFKA_PORT", "19092", "TRAJLAKE_OPENSEARCH_HEAP", "2g",
        "TRAJLAKE_REGISTRY_PORT", "18081");

    // When the config is built
    StackConfig config = StackConfig.builder().environment(env).set(StackSetting.REGISTRY_PORT, "28081").build();

    // Then the flag wins over the variable, and the variables win over the defaults
    assertThat(config.port(StackSetting.KAFKA_PORT)).isEqualTo(19092);
    assertThat(config.port(StackSetting.REGISTRY_PORT)).isEqualTo(28081);
    assertThat(config.heap(StackSetting.OPENSEARCH_HEAP)).isEqualTo("2g");
  }

  @Test
  void badValuesAreRefusedNamingTheFlagAndTheVariable() {
    // Given a port that is not a number and a heap without a unit
    Map<String, String> env = Map.of("TRAJLAKE_KAFKA_PORT", "kafka", "TRAJLAKE_REGISTRY_HEAP", "256");

    // When the config is built, then both problems are reported with the names to fix
    assertThatThrownBy(() -> StackConfig.fromEnvironment(env))
        .isInstanceOf(StackException.class)
        .hasMessageContaining("'kafka' for --kafka-port / TRAJLAKE_KAFKA_PORT: not a port number")
        .hasMessageContaining("'256' for --registry-heap / TRAJLAKE_REGISTRY_HEAP");
  }

  @Test
  void portOutOfRangeIsRefused() {
    assertThatThrownBy(() -> StackConfig.builder().set(StackSetting.OPENSEARCH_PORT, "70000").build())
        .isInstanceOf(StackException.class)
        .hasMessageContaining("--opensearch-port / TRAJLAKE_OPENSEARCH_PORT: a port is 1-65535");
  }

  @Test
  void twoComponentsOnOnePortAreRefused() {
    // Given the registry configured onto Kafka's port
    // When built, then the clash names both settings
    assertThatThrownBy(() -> StackConfig.builder().port(StackSetting.REGISTRY_PORT, 9092).build())
        .isInstanceOf(StackException.class)
        .hasMessageContaining("port 9092 is given to both --kafka-port / TRAJLAKE_KAFKA_PORT and --registry-port");
  }

  @Test
  void aDataDirRemembersTheSettingsItWasStartedWith(@org.junit.jupiter.api.io.TempDir Path dataDir) throws Exception {
    // Given a data dir last brought up with a non-default Kafka port
    SavedSettings.write(StackConfig.builder().dataDir(dataDir).port(StackSetting.KAFKA_PORT, 19092).build());

    // When a later command names only the data dir, or also overrides the port
    StackConfig later = StackConfig.builder().dataDir(dataDir).build();
    StackConfig overridden = StackConfig.builder().dataDir(dataDir)
        .environment(Map.of("TRAJLAKE_KAFKA_PORT", "29092")).build();

    // Then the saved port applies unless a variable or flag says otherwise
    assertThat(later.port(StackSetting.KAFKA_PORT)).isEqualTo(19092);
    assertThat(overridden.port(StackSetting.KAFKA_PORT)).isEqualTo(29092);
    assertThat(later.port(StackSetting.REGISTRY_PORT)).isEqualTo(8081);
  }

  @Test
  void settingNamesFollowOneRule() {
    assertThat(StackSetting.SERVER_JAVA_HOME.flag()).isEqualTo("--server-java-home");
    assertThat(StackSetting.SERVER_JAVA_HOME.envVar()).isEqualTo("TRAJLAKE_SERVER_JAVA_HOME");
    assertThat(StackSetting.values()).allSatisfy(setting -> assertThat(setting.doc()).isNotBlank());
  }
}
