package org.trajlake.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.trajlake.runtime.Settings;

class SinkConfigTest {
  @Test
  void theStallLimitDefaultsToTwoMinutesAndZeroTurnsItOff() {
    assertThat(SinkConfig.from(Settings.of(Map.of())).stallTimeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(SinkConfig.from(Settings.of(Map.of(SinkConfig.STALL_MS, "0"))).stallTimeout()).isZero();
  }

  @Test
  void aStallLimitOutsideItsRangeIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> SinkConfig.from(Settings.of(Map.of(SinkConfig.STALL_MS, "500"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("sink.stall.ms")
        .hasMessageContaining("expected 0 (off) or 1000 to 86400000 ms");
  }

  @Test
  void aStallLimitNoLongerThanTheLongestRetryWaitIsRefused() {
    // Waiting out a failure between attempts is not being stuck
    Settings settings = Settings.of(Map.of(SinkConfig.STALL_MS, "30000", SinkConfig.RETRY_MAX_MS, "30000"));

    assertThatThrownBy(() -> SinkConfig.from(settings))
        .isInstanceOf(ConfigException.class).hasMessageContaining("sink.stall.ms")
        .hasMessageContaining("longer than sink.retry.max.ms (30000)");
  }
}
