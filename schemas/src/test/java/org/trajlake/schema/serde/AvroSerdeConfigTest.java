package org.trajlake.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.trajlake.schema.TrajectoryEvent;

class AvroSerdeConfigTest {

  @Test
  void aMissingRegistryUrlFailsConfigureNamingTheKey() {
    // Given a serde without an injected registry
    ConfluentAvroSerde<TrajectoryEvent> serde = new ConfluentAvroSerde<>(TrajectoryEvent.class);

    // When it is configured without schema.registry.url
    // Then configure fails naming the key
    assertThatThrownBy(() -> serde.configure(Map.of(), false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url");
  }

  @Test
  void aMalformedRegistryUrlFailsConfigureNamingTheKey() {
    // When a serde is configured with a URL that has no scheme
    // Then configure fails naming the key and the value
    assertThatThrownBy(
            () -> ConfluentAvroSerde.forValues(TrajectoryEvent.class, Map.of("schema.registry.url", "registry:8081")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url")
        .hasMessageContaining("registry:8081");
  }

  @Test
  void onlyTheUrlIsRequired() {
    // When only the URL is given
    AvroSerdeConfig config = new AvroSerdeConfig(Map.of("schema.registry.url", "http://localhost:8081/"));

    // Then everything else has its documented default
    assertThat(config.autoRegisterSchemas()).isFalse();
    assertThat(config.basicAuthUserInfo()).isEmpty();
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.cacheCapacity()).isEqualTo(1000);
  }

  @Test
  void userInfoWithoutAColonIsRejectedWithoutPrintingIt() {
    // When basic auth user info lacks the user:password colon
    // Then the error names the key but not the secret
    assertThatThrownBy(
            () ->
                new AvroSerdeConfig(
                    Map.of("schema.registry.url", "http://localhost:8081", "basic.auth.user.info", "topsecret")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("basic.auth.user.info")
        .hasMessageNotContaining("topsecret");
  }

  @Test
  void everyKeyIsDocumented() {
    // When the keys are listed
    // Then each has a doc line
    AvroSerdeConfig.configDef()
        .configKeys()
        .values()
        .forEach(key -> assertThat(key.documentation).as(key.name).isNotBlank());
  }
}
