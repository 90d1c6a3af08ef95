package org.trajlake.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.trajlake.sink.SinkFixtures.T0;
import static org.trajlake.sink.SinkFixtures.rewarded;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.trajlake.runtime.Settings;

class GraduationTest {
  private static Graduation graduation(Map<String, String> settings) {
    return SinkConfig.from(Settings.of(settings)).graduation();
  }

  @Test
  void byDefaultEverythingGraduates() {
    assertThat(graduation(Map.of()).admits(rewarded("a", 1, null, T0, 1))).isTrue();
  }

  @Test
  void aMinimumRewardKeepsOutLowAndMissingRewards() {
    Graduation g = graduation(Map.of(Graduation.MIN_REWARD, "0.5"));
    assertThat(g.admits(rewarded("a", 1, 0.5, T0, 1))).isTrue();
    assertThat(g.admits(rewarded("b", 1, 0.4, T0, 1))).isFalse();
    assertThat(g.admits(rewarded("c", 1, null, T0, 1))).isFalse();
  }

  @Test
  void labelStatusOutcomeKindTagAndSourceConditionsAllHold() {
    // The fixture's rewarded trajectories are LABELED with a tests_passed outcome from ci-bot, tagged ci
    assertThat(graduation(Map.of(Graduation.LABEL_STATUS, "LABELED")).admits(rewarded("a", 1, 1.0, T0, 1))).isTrue();
    assertThat(graduation(Map.of(Graduation.LABEL_STATUS, "LABELED")).admits(rewarded("a", 1, null, T0, 1))).isFalse();
    assertThat(graduation(Map.of(Graduation.OUTCOME_KINDS, "pr_merged")).admits(rewarded("a", 1, 1.0, T0, 1))).isFalse();
    assertThat(graduation(Map.of(Graduation.OUTCOME_KINDS, "pr_merged,tests_passed")).admits(rewarded("a", 1, 1.0, T0, 1)))
        .isTrue();
    assertThat(graduation(Map.of(Graduation.TAGS, "prod")).admits(rewarded("a", 1, 1.0, T0, 1))).isFalse();
    assertThat(graduation(Map.of(Graduation.TAGS, "ci")).admits(rewarded("a", 1, 1.0, T0, 1))).isTrue();
    assertThat(graduation(Map.of(Graduation.SOURCES, "github")).admits(rewarded("a", 1, 1.0, T0, 1))).isFalse();
    assertThat(graduation(Map.of(Graduation.SOURCES, "ci-bot")).admits(rewarded("a", 1, 1.0, T0, 1))).isTrue();
  }

  @Test
  void badSettingsAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> graduation(Map.of(Graduation.LABEL_STATUS, "DONE")))
        .isInstanceOf(ConfigException.class).hasMessageContaining(Graduation.LABEL_STATUS).hasMessageContaining("DONE");
    assertThatThrownBy(() -> graduation(Map.of(Graduation.MIN_REWARD, "high")))
        .isInstanceOf(ConfigException.class).hasMessageContaining(Graduation.MIN_REWARD);
    assertThatThrownBy(() -> graduation(Map.of(SinkConfig.COMMIT_INTERVAL_MS, "5")))
        .isInstanceOf(ConfigException.class).hasMessageContaining(SinkConfig.COMMIT_INTERVAL_MS);
  }
}
