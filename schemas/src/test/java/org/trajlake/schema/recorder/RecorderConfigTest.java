package org.trajlake.schema.recorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class RecorderConfigTest {
  private static Map<String, Object> minimal() {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", "localhost:9092");
    config.put("schema.registry.url", "http://localhost:8080/apis/ccompat/v7");
    config.put("workspace", "team-a");
    config.put("agent.id", "coder@1.0");
    return config;
  }

  @Test
  void theMinimalConfigUsesTheDefaultTopicPrefix() {
    // When a recorder config has only the required keys
    RecorderConfig config = new RecorderConfig(minimal());

    // Then events go under the default prefix, with no producer overrides
    assertThat(config.topicPrefix()).isEqualTo("trajlake.");
    assertThat(config.producerOverrides()).isEmpty();
  }

  @Test
  void producerPrefixedKeysBecomeProducerOverrides() {
    // Given a producer tuning key
    Map<String, Object> settings = minimal();
    settings.put("producer.linger.ms", "20");

    // When the config is read
    RecorderConfig config = new RecorderConfig(settings);

    // Then it reaches the producer without its prefix
    assertThat(config.producerOverrides()).containsEntry("linger.ms", "20");
  }

  @Test
  void aMissingWorkspaceIsNamed() {
    // Given a config without a workspace
    Map<String, Object> settings = minimal();
    settings.remove("workspace");

    // When it is read
    // Then it fails naming the key
    assertThatThrownBy(() -> new RecorderConfig(settings))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("workspace");
  }

  @Test
  void aWorkspaceRecallCouldNeverReadIsRefusedWithTheRule() {
    // Given a workspace with a space and a slash
    Map<String, Object> settings = minimal();
    settings.put("workspace", "team a/b");

    // When it is read, then it fails naming the key and the rule
    assertThatThrownBy(() -> new RecorderConfig(settings))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("workspace")
        .hasMessageContaining("1 to 128 of A-Z a-z 0-9 . _ : -");
  }

  @Test
  void anOverrideThatGivesUpAcksAllIsRefused() {
    // Given an override asking for acks=1
    Map<String, Object> settings = minimal();
    settings.put("producer.acks", "1");

    // When the config is read
    // Then it fails naming the key and why
    assertThatThrownBy(() -> new RecorderConfig(settings))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("producer.acks")
        .hasMessageContaining("acks=all");
  }

  @Test
  void anOverrideThatTurnsOffIdempotenceIsRefused() {
    // Given an override turning idempotence off
    Map<String, Object> settings = minimal();
    settings.put("producer.enable.idempotence", "false");

    // When the config is read
    // Then it fails naming the key
    assertThatThrownBy(() -> new RecorderConfig(settings))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("producer.enable.idempotence");
  }
}
