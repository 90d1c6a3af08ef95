package org.trajlake.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
  private static final ConfigDef DEF = new ConfigDef()
      .define("ingest.max.steps", ConfigDef.Type.INT, 10, ConfigDef.Range.atLeast(1), ConfigDef.Importance.HIGH, "doc")
      .define("topic.prefix", ConfigDef.Type.STRING, "trajlake.", ConfigDef.Importance.LOW, "doc");

  @TempDir
  Path dir;

  @Test
  void flagsWinOverVariablesWhichWinOverTheFile() throws Exception {
    // Given the same key in a file, the environment and on the command line
    Path file = dir.resolve("ingest.properties");
    Files.writeString(file, "ingest.max.steps=5\ntopic.prefix=file.\n");
    Settings settings = Settings.load(Map.of("ingest.max.steps", "7"),
        Map.of("TRAJLAKE_INGEST_MAX_STEPS", "6", "TRAJLAKE_TOPIC_PREFIX", "env."), Optional.of(file));

    // When resolved against the definition
    Map<String, String> values = settings.resolve(DEF);

    // Then each key takes its highest source
    assertThat(values).containsEntry("ingest.max.steps", "7").containsEntry("topic.prefix", "env.");
  }

  @Test
  void variableNamesFollowOneRule() {
    assertThat(Settings.envVarFor("ingest.late.window-ms")).isEqualTo("TRAJLAKE_INGEST_LATE_WINDOW_MS");
  }

  @Test
  void prefixedKeysComeFromTheFileAndTheCommandLineOnly() throws Exception {
    Path file = dir.resolve("s.properties");
    Files.writeString(file, "streams.num.standby.replicas=1\nstreams.poll.ms=50\n");
    Settings settings = Settings.load(Map.of("streams.poll.ms", "20"), Map.of("TRAJLAKE_STREAMS_POLL_MS", "99"),
        Optional.of(file));

    assertThat(settings.prefixed("streams.")).containsOnly(Map.entry("num.standby.replicas", "1"), Map.entry("poll.ms", "20"));
  }

  @Test
  void anInvalidValueNamesTheKeyTheVariableAndWhereTheValueCameFrom() {
    Settings settings = Settings.load(Map.of(), Map.of("TRAJLAKE_INGEST_MAX_STEPS", "0"), Optional.empty());

    assertThatThrownBy(() -> settings.build(DEF, values -> new AbstractConfig(DEF, values)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ingest.max.steps")
        .hasMessageContaining("TRAJLAKE_INGEST_MAX_STEPS")
        .hasMessageContaining("the value was from TRAJLAKE_INGEST_MAX_STEPS");
  }

  @Test
  void anUnreadableFileIsAClearError() {
    assertThatThrownBy(() -> Settings.load(Map.of(), Map.of(), Optional.of(dir.resolve("missing.properties"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cannot read the config file");
  }

  @Test
  void aServicesScopedKeyWinsOverThePlainOneFromAnySourceAndOtherServicesSeeThePlainOne() {
    ConfigDef def = new ConfigDef().define("commit.interval.ms", ConfigDef.Type.LONG, 100L, ConfigDef.Importance.LOW, "");
    Settings settings = Settings.load(Map.of("commit.interval.ms", "200", "sink.consumer.max.poll.records", "5"),
        Map.of("TRAJLAKE_SINK_COMMIT_INTERVAL_MS", "60000"), Optional.empty());

    assertThat(settings.scopedTo("sink").resolve(def)).containsEntry("commit.interval.ms", "60000");
    assertThat(settings.scopedTo("ingest").resolve(def)).containsEntry("commit.interval.ms", "200");
    assertThat(settings.scopedTo("sink").prefixed("consumer.")).containsEntry("max.poll.records", "5");
    assertThat(settings.scopedTo("indexer").prefixed("consumer.")).isEmpty();
  }

  @Test
  void defaultsGiveWayToEveryOtherSource() {
    ConfigDef def = new ConfigDef()
        .define("a", ConfigDef.Type.STRING, "def", ConfigDef.Importance.LOW, "")
        .define("b", ConfigDef.Type.STRING, "def", ConfigDef.Importance.LOW, "");
    Settings settings = Settings.load(Map.of("a", "flag"), Map.of(), Optional.empty())
        .withDefaults(Map.of("a", "stack", "b", "stack"));

    assertThat(settings.resolve(def)).containsEntry("a", "flag").containsEntry("b", "stack");
  }

  @Test
  void aKeyGivenOnTheCommandLineThatNothingReadIsNamedAndRefused() {
    // Given a misspelt key, a read key, a free key, and a key scoped to the service, all given as flags
    Settings settings = Settings.load(Map.of("ingest.max.step", "7", "topic.prefix", "t.", "streams.num.stream.threads",
        "2", "ingest.topic.prefix", "i.", "sink.commit.interval.ms", "1"), Map.of("TRAJLAKE_OTHER", "x"), Optional.empty());

    // When the service's config is built from them, as `trajlake run all` would
    Settings ingest = settings.scopedTo("ingest");
    ingest.resolve(DEF);
    ingest.prefixed("streams.");

    // Then only the keys nothing read are named (the environment is not checked: other tools set TRAJLAKE_*)
    assertThat(settings.unreadExplicitKeys()).containsExactly("ingest.max.step", "sink.commit.interval.ms");
    assertThatThrownBy(() -> settings.requireExplicitKeysRead("trajlake run ingest"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown settings ingest.max.step, sink.commit.interval.ms given with --set");
    // And a key another service reads is let through when the caller knows it
    assertThatThrownBy(() -> settings.requireExplicitKeysRead("trajlake run ingest", "sink.commit.interval.ms"::equals))
        .hasMessageContaining("unknown setting ingest.max.step given").hasMessageNotContaining("sink.commit");
  }
}
