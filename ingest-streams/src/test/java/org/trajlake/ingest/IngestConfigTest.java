package org.trajlake.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.trajlake.runtime.Settings;

class IngestConfigTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    IngestConfig config = IngestConfig.from(Settings.of(Map.of()));

    assertThat(config.inactivityGap()).isEqualTo(Duration.ofMinutes(30));
    assertThat(config.latePolicy()).isEqualTo(IngestConfig.LatePolicy.VERSION);
    assertThat(config.applicationId()).isEqualTo("trajlake-ingest");
    assertThat(config.streamsProperties()).containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
  }

  @Test
  void environmentVariablesAndStreamsOverridesApply() {
    Settings settings = Settings.load(Map.of("streams.num.standby.replicas", "1"),
        Map.of("TRAJLAKE_INGEST_INACTIVITY_GAP_MS", "60000", "TRAJLAKE_INGEST_LATE_POLICY", "dlq"), Optional.empty());

    IngestConfig config = IngestConfig.from(settings);

    assertThat(config.inactivityGap()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.latePolicy()).isEqualTo(IngestConfig.LatePolicy.DLQ);
    assertThat(config.streamsProperties()).containsEntry("num.standby.replicas", "1");
  }

  @Test
  void badValueRefusesToStartNamingTheKeyAndTheVariable() {
    Settings settings = Settings.load(Map.of(), Map.of("TRAJLAKE_INGEST_MAX_STEPS", "lots"), Optional.empty());

    assertThatThrownBy(() -> IngestConfig.from(settings))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ingest.max.steps")
        .hasMessageContaining("TRAJLAKE_INGEST_MAX_STEPS")
        .hasMessageContaining("lots");
  }

  @Test
  void unknownLatePolicyIsRefused() {
    assertThatThrownBy(() -> IngestConfig.from(Settings.of(Map.of("ingest.late.policy", "drop"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ingest.late.policy");
  }
}
