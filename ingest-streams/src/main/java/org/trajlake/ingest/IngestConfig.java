package org.trajlake.ingest;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.trajlake.runtime.Settings;
import org.trajlake.runtime.StreamsAppConfig;

/** Settings of ingest-streams: the shared Streams keys plus how trajectories are validated and closed. */
public final class IngestConfig extends StreamsAppConfig {
  public static final String INACTIVITY_GAP_MS = "ingest.inactivity.gap.ms";
  public static final String END_GRACE_MS = "ingest.end.grace.ms";
  public static final String LATE_POLICY = "ingest.late.policy";
  public static final String LATE_WINDOW_MS = "ingest.late.window.ms";
  public static final String CLOSED_RETENTION_MS = "ingest.closed.retention.ms";
  public static final String DEDUPE_RETENTION_MS = "ingest.dedupe.retention.ms";
  public static final String MAX_CONTENT_BYTES = "ingest.max.content.bytes";
  public static final String MAX_STEPS = "ingest.max.steps";
  public static final String MAX_FUTURE_SKEW_MS = "ingest.max.future.skew.ms";
  public static final String PUNCTUATE_INTERVAL_MS = "ingest.punctuate.interval.ms";

  /** What to do with an event of a trajectory that was already emitted. */
  public enum LatePolicy {
    /** Add it and emit the trajectory again with version + 1. */
    VERSION,
    /** Send it to the dead-letter topic with reason {@code late}. */
    DLQ
  }

  private static final long MINUTE = 60_000L;
  private static final long HOUR = 60 * MINUTE;
  private static final long DAY = 24 * HOUR;

  static final ConfigDef DEFINITION = commonDefinition("trajlake-ingest", 9401)
      .define(INACTIVITY_GAP_MS, Type.LONG, 30 * MINUTE, Range.atLeast(1), Importance.HIGH,
          "A trajectory with no new event for this long (wall clock) is emitted with status INCOMPLETE.")
      .define(END_GRACE_MS, Type.LONG, 10_000L, Range.atLeast(0), Importance.MEDIUM,
          "After its END event, how long a trajectory waits for steps still missing below END's seq "
              + "(out-of-order arrival) before it is emitted without them.")
      .define(LATE_POLICY, Type.STRING, "version", ValidString.in("version", "dlq"), Importance.MEDIUM,
          "An event of an already emitted trajectory: 'version' adds it and emits the trajectory again with "
              + "version + 1; 'dlq' dead-letters it with reason late.")
      .define(LATE_WINDOW_MS, Type.LONG, HOUR, Range.atLeast(0), Importance.MEDIUM,
          "How long after its last emission a trajectory's steps are kept so late events can make a new "
              + "version; later events are dead-lettered as late whatever the policy.")
      .define(CLOSED_RETENTION_MS, Type.LONG, 7 * DAY, Range.atLeast(0), Importance.LOW,
          "How long a closed trajectory is remembered (without its steps) so its late events are recognised "
              + "as late rather than starting a new trajectory.")
      .define(DEDUPE_RETENTION_MS, Type.LONG, DAY, Range.atLeast(1), Importance.MEDIUM,
          "How long an event_id is remembered to drop repeats of it (by record timestamp).")
      .define(MAX_CONTENT_BYTES, Type.INT, 256 * 1024, Range.atLeast(1), Importance.MEDIUM,
          "Largest accepted event: UTF-8 bytes of content, tool arguments and tool output together.")
      .define(MAX_STEPS, Type.INT, 2_000, Range.atLeast(1), Importance.MEDIUM,
          "Most steps per trajectory; further events are dead-lettered (an END is still accepted and closes it).")
      .define(MAX_FUTURE_SKEW_MS, Type.LONG, DAY, Range.atLeast(0), Importance.LOW,
          "An event stamped further than this in the future (agent clock against this service's) is refused.")
      .define(PUNCTUATE_INTERVAL_MS, Type.LONG, 1_000L, Range.atLeast(1), Importance.LOW,
          "How often (wall clock) due trajectories are closed: the precision of the gap and grace timers.");

  public IngestConfig(Map<String, String> values) {
    this(values, Map.of());
  }

  private IngestConfig(Map<String, String> values, Map<String, String> streamsOverrides) {
    super(DEFINITION, values, streamsOverrides);
  }

  /** The config from layered settings; an invalid value fails naming the key and where to set it. */
  public static IngestConfig from(Settings settings) {
    return settings.build(DEFINITION, values -> new IngestConfig(values, settings.prefixed(STREAMS_PREFIX)));
  }

  public static ConfigDef configDef() {
    return DEFINITION;
  }

  public Duration inactivityGap() {
    return Duration.ofMillis(getLong(INACTIVITY_GAP_MS));
  }

  public Duration endGrace() {
    return Duration.ofMillis(getLong(END_GRACE_MS));
  }

  public LatePolicy latePolicy() {
    return LatePolicy.valueOf(getString(LATE_POLICY).toUpperCase(Locale.ROOT));
  }

  public Duration lateWindow() {
    return Duration.ofMillis(getLong(LATE_WINDOW_MS));
  }

  public Duration closedRetention() {
    return Duration.ofMillis(getLong(CLOSED_RETENTION_MS));
  }

  public Duration dedupeRetention() {
    return Duration.ofMillis(getLong(DEDUPE_RETENTION_MS));
  }

  public int maxContentBytes() {
    return getInt(MAX_CONTENT_BYTES);
  }

  public int maxSteps() {
    return getInt(MAX_STEPS);
  }

  public Duration maxFutureSkew() {
    return Duration.ofMillis(getLong(MAX_FUTURE_SKEW_MS));
  }

  public Duration punctuateInterval() {
    return Duration.ofMillis(getLong(PUNCTUATE_INTERVAL_MS));
  }
}
