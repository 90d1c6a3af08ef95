package org.trajlake.joiner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.trajlake.joiner.RewardSpec.Combine;
import org.trajlake.runtime.Settings;

class JoinerConfigTest {
  @TempDir
  Path dir;

  @Test
  void withNothingSetTheDefaultsApply() {
    JoinerConfig config = JoinerConfig.from(Settings.of(Map.of()));

    assertThat(config.applicationId()).isEqualTo("trajlake-joiner");
    assertThat(config.metricsPort()).isEqualTo(9402);
    assertThat(config.outcomeWindow()).isEqualTo(Duration.ofDays(7));
    assertThat(config.settleTimeout()).isEqualTo(Duration.ofHours(24));
    assertThat(config.stateRetention()).isEqualTo(Duration.ofDays(30));
    assertThat(config.punctuateInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.maxOutcomesPerTrajectory()).isEqualTo(1000);
    assertThat(config.rewardSpec().id()).isEqualTo(RewardSpec.defaultSpec().id());
    assertThat(config.streamsProperties()).containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
        StreamsConfig.EXACTLY_ONCE_V2);
  }

  @Test
  void keysComeFromTheEnvironmentAndTheFileAndRewardKindsFromTheFile() throws Exception {
    // Given a config file with a reward spec and a timing, and a variable overriding the timing
    Path file = dir.resolve("joiner.properties");
    Properties props = new Properties();
    props.setProperty("joiner.settle.timeout.ms", "60000");
    props.setProperty("reward.spec.name", "ci-only");
    props.setProperty("reward.kind.tests_passed.weight", "1");
    props.setProperty("reward.kind.tests_passed.combine", "max");
    props.setProperty("reward.required", "tests_passed");
    props.setProperty("streams.num.standby.replicas", "1");
    try (var out = Files.newBufferedWriter(file)) {
      props.store(out, null);
    }
    Settings settings = Settings.load(Map.of(), Map.of("TRAJLAKE_JOINER_SETTLE_TIMEOUT_MS", "5000"), Optional.of(file));

    // When the config is built
    JoinerConfig config = JoinerConfig.from(settings);

    // Then the variable wins over the file, and the spec and Streams override come from the file
    assertThat(config.settleTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.rewardSpec().name()).isEqualTo("ci-only");
    assertThat(config.rewardSpec().kinds()).containsOnlyKeys("tests_passed");
    assertThat(config.rewardSpec().kinds().get("tests_passed").combine()).isEqualTo(Combine.MAX);
    assertThat(config.rewardSpec().required()).containsExactly("tests_passed");
    assertThat(config.streamsProperties()).containsEntry("num.standby.replicas", "1");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "joiner.outcome.window.ms, 0",
      "joiner.outcome.window.ms, a week",
      "joiner.settle.timeout.ms, -5",
      "joiner.state.retention.ms, 0",
      "joiner.punctuate.interval.ms, 0",
      "joiner.max.outcomes.per.trajectory, 0",
      "reward.spec.name, ''",
      "reward.required, rating",
      "reward.kind.rating.weight, -1",
      "reward.kind.rating.weight, high",
      "metrics.port, 70000"})
  void aBadValueIsRefusedNamingTheKeyAndWhereToSetIt(String key, String value) {
    assertThatThrownBy(() -> JoinerConfig.from(Settings.of(Map.of(key, value))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(key)
        .hasMessageContaining("given on the command line");
  }
}
