package org.trajlake.joiner;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.NonEmptyString;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.trajlake.runtime.Settings;
import org.trajlake.runtime.StreamsAppConfig;

/**
 * Settings of the reward-joiner: the shared Streams keys, the join's timings and the reward spec.
 * Build it with {@link #from(Settings)}; every invalid value fails here, naming its key, before
 * anything starts.
 */
public final class JoinerConfig extends StreamsAppConfig {
  public static final String DEFAULT_APPLICATION_ID = "trajlake-joiner";
  public static final int DEFAULT_METRICS_PORT = 9402;

  public static final String OUTCOME_WINDOW_MS = "joiner.outcome.window.ms";
  public static final String SETTLE_TIMEOUT_MS = "joiner.settle.timeout.ms";
  public static final String STATE_RETENTION_MS = "joiner.state.retention.ms";
  public static final String PUNCTUATE_INTERVAL_MS = "joiner.punctuate.interval.ms";
  public static final String MAX_OUTCOMES = "joiner.max.outcomes.per.trajectory";

  private static final long DAY_MS = Duration.ofDays(1).toMillis();
  // A year: longer holds are a misconfiguration, and the cap keeps deadline arithmetic far from overflow.
  private static final long MAX_DURATION_MS = Duration.ofDays(366).toMillis();

  private static final ConfigDef CONFIG_DEF = commonDefinition(DEFAULT_APPLICATION_ID, DEFAULT_METRICS_PORT)
      .define(OUTCOME_WINDOW_MS, Type.LONG, 7 * DAY_MS, Range.between(1, MAX_DURATION_MS), Importance.HIGH,
          "How long outcomes that arrived before their trajectory are held, counted from the first of them; "
              + "then they go to <prefix>outcomes.orphaned with reason no-trajectory.")
      .define(SETTLE_TIMEOUT_MS, Type.LONG, DAY_MS, Range.between(1, MAX_DURATION_MS), Importance.HIGH,
          "How long a trajectory waits for its first outcome, counted from its arrival; then it is emitted "
              + "UNLABELED (reward null). Later outcomes still re-emit it with a reward.")
      .define(STATE_RETENTION_MS, Type.LONG, 30 * DAY_MS, Range.between(1, MAX_DURATION_MS), Importance.MEDIUM,
          "How long the join state of an emitted trajectory is kept after its last change; then it is dropped, "
              + "and an outcome arriving later is held as if its trajectory were unknown.")
      .define(PUNCTUATE_INTERVAL_MS, Type.LONG, 1000L, Range.between(1, 3_600_000), Importance.LOW,
          "How often (wall clock) the joiner looks for due deadlines: the granularity of the three timings above.")
      .define(MAX_OUTCOMES, Type.INT, 1000, Range.between(1, 100_000), Importance.LOW,
          "Most outcomes held for one trajectory; more go to the dead-letter topic (reason too-many-outcomes), "
              + "so a runaway source cannot grow one rewarded record past the broker's size limit.")
      .define(RewardSpec.NAME, Type.STRING, RewardSpec.DEFAULT_NAME, new NonEmptyString(), Importance.MEDIUM,
          "Name of the reward spec; the reward_spec field of each rewarded trajectory is <name>@<hash of the spec>.")
      .define(RewardSpec.REQUIRED, Type.STRING, null, Importance.MEDIUM,
          "Comma-separated outcome kinds a trajectory needs for LABELED, each with a reward.kind.<kind>.weight. "
              + "Unset: tests_passed,pr_merged with the default kinds, none with kinds of your own (then any "
              + "spec'd kind labels). Reward kinds themselves are free keys reward.kind.<kind>.weight and "
              + "reward.kind.<kind>.combine (latest|max|sum) in the config file or on the command line.");

  private final RewardSpec rewardSpec;

  /**
   * @param values the defined keys
   * @param streamsOverrides {@code streams.*} keys, prefix removed
   * @param rewardKinds {@code reward.kind.*} keys, prefix removed
   * @throws ConfigException naming the offending key
   */
  JoinerConfig(Map<String, String> values, Map<String, String> streamsOverrides, Map<String, String> rewardKinds) {
    super(CONFIG_DEF, values, streamsOverrides);
    this.rewardSpec = RewardSpec.parse(getString(RewardSpec.NAME), getString(RewardSpec.REQUIRED), rewardKinds);
  }

  /** The joiner's settings from flags, {@code TRAJLAKE_*} variables and the config file. */
  public static JoinerConfig from(Settings settings) {
    return settings.build(CONFIG_DEF, values ->
        new JoinerConfig(values, settings.prefixed(STREAMS_PREFIX), settings.prefixed(RewardSpec.KIND_PREFIX)));
  }

  /** Every defined key with its type, default, validator and doc (for docs and the CLI). */
  public static ConfigDef configDef() {
    return new ConfigDef(CONFIG_DEF);
  }

  public Duration outcomeWindow() {
    return Duration.ofMillis(getLong(OUTCOME_WINDOW_MS));
  }

  public Duration settleTimeout() {
    return Duration.ofMillis(getLong(SETTLE_TIMEOUT_MS));
  }

  public Duration stateRetention() {
    return Duration.ofMillis(getLong(STATE_RETENTION_MS));
  }

  public Duration punctuateInterval() {
    return Duration.ofMillis(getLong(PUNCTUATE_INTERVAL_MS));
  }

  public int maxOutcomesPerTrajectory() {
    return getInt(MAX_OUTCOMES);
  }

  public RewardSpec rewardSpec() {
    return rewardSpec;
  }
}
