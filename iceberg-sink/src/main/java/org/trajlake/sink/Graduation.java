package org.trajlake.sink;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Which rewarded trajectories reach the training table. A trajectory graduates when every configured
 * condition holds; an empty setting is no condition. When a newer version no longer graduates, the
 * older row is removed, so the table holds exactly the trajectories whose latest version passes.
 *
 * @param minReward the reward must be at least this (a trajectory without a reward fails), or null
 * @param labelStatuses the label status must be one of these
 * @param outcomeKinds at least one outcome of one of these kinds, or empty
 * @param tags at least one of these tags, or empty
 * @param sources at least one outcome reported by one of these sources, or empty
 */
public record Graduation(Double minReward, Set<String> labelStatuses, Set<String> outcomeKinds, Set<String> tags,
    Set<String> sources) {
  public static final String MIN_REWARD = "graduate.min.reward";
  public static final String LABEL_STATUS = "graduate.label.status";
  public static final String OUTCOME_KINDS = "graduate.outcome.kinds";
  public static final String TAGS = "graduate.tags";
  public static final String SOURCES = "graduate.sources";
  private static final Set<String> STATUSES = Set.of("LABELED", "PARTIAL", "UNLABELED");

  /** Everything graduates. */
  public static final Graduation ALL = new Graduation(null, STATUSES, Set.of(), Set.of(), Set.of());

  public Graduation {
    labelStatuses = Set.copyOf(labelStatuses);
    outcomeKinds = Set.copyOf(outcomeKinds);
    tags = Set.copyOf(tags);
    sources = Set.copyOf(sources);
  }

  static ConfigDef define(ConfigDef def) {
    return def
        .define(MIN_REWARD, Type.DOUBLE, null, Importance.MEDIUM,
            "Graduate only trajectories whose reward is at least this; unset, any reward or none.")
        .define(LABEL_STATUS, Type.LIST, "LABELED,PARTIAL,UNLABELED", (name, value) -> {
              @SuppressWarnings("unchecked")
              List<String> values = (List<String>) value;
              for (String status : values) {
                if (!STATUSES.contains(status.toUpperCase(Locale.ROOT))) {
                  throw new ConfigException(name, value, "unknown label status '" + status + "'; use LABELED, PARTIAL, UNLABELED");
                }
              }
            }, Importance.MEDIUM, "Graduate only trajectories with one of these label statuses.")
        .define(OUTCOME_KINDS, Type.LIST, "", Importance.MEDIUM,
            "Graduate only trajectories with an outcome of one of these kinds (e.g. tests_passed,pr_merged); empty: any.")
        .define(TAGS, Type.LIST, "", Importance.MEDIUM,
            "Graduate only trajectories carrying one of these tags; empty: any.")
        .define(SOURCES, Type.LIST, "", Importance.MEDIUM,
            "Graduate only trajectories with an outcome reported by one of these sources (e.g. github, ci); empty: any.");
  }

  static Graduation of(AbstractConfig config) {
    return new Graduation(config.getDouble(MIN_REWARD),
        config.getList(LABEL_STATUS).stream().map(s -> s.toUpperCase(Locale.ROOT)).collect(Collectors.toSet()),
        Set.copyOf(config.getList(OUTCOME_KINDS)), Set.copyOf(config.getList(TAGS)), Set.copyOf(config.getList(SOURCES)));
  }

  /** Whether {@code rewarded} (a RewardedTrajectory in any writer schema) graduates. */
  public boolean admits(GenericRecord rewarded) {
    if (minReward != null) {
      Object reward = rewarded.get("reward");
      if (!(reward instanceof Number number) || number.doubleValue() < minReward) {
        return false;
      }
    }
    if (!labelStatuses.contains(String.valueOf(rewarded.get("label_status")))) {
      return false;
    }
    if (!outcomeKinds.isEmpty() && !anyOutcome(rewarded, "kind", outcomeKinds)) {
      return false;
    }
    if (!sources.isEmpty() && !anyOutcome(rewarded, "source", sources)) {
      return false;
    }
    if (!tags.isEmpty()) {
      List<?> present = (List<?>) ((GenericRecord) rewarded.get("trajectory")).get("tags");
      return present != null && present.stream().anyMatch(t -> tags.contains(t.toString()));
    }
    return true;
  }

  private static boolean anyOutcome(GenericRecord rewarded, String field, Set<String> wanted) {
    List<?> outcomes = (List<?>) rewarded.get("outcomes");
    return outcomes != null
        && outcomes.stream().anyMatch(o -> wanted.contains(String.valueOf(((GenericRecord) o).get(field))));
  }
}
