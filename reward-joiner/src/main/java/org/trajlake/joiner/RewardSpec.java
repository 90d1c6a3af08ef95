package org.trajlake.joiner;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigException;
import org.trajlake.schema.LabelStatus;
import org.trajlake.schema.Outcome;

/**
 * How outcomes become a reward: per outcome kind a weight and how repeats of that kind combine, and
 * which kinds a trajectory needs for {@link LabelStatus#LABELED}.
 *
 * <p>Settings: {@code reward.spec.name}, {@code reward.kind.<kind>.weight} (a finite number, at least
 * 0), {@code reward.kind.<kind>.combine} ({@code latest}, the default, {@code max} or {@code sum}),
 * {@code reward.required} (comma-separated kinds). With no {@code reward.kind.*} key at all the
 * default spec applies: {@code tests_passed} 0.3 latest, {@code pr_merged} 0.5 max, {@code
 * user_kept} 0.2 latest, required {@code tests_passed,pr_merged}. With kinds of your own and no
 * {@code reward.required}, none is required: a trajectory is LABELED once any kind of the spec is
 * present.
 *
 * <p>The reward is the sum, over the spec's kinds present, of weight times the combined value; it is
 * null while no outcome of a spec'd kind is present. Outcomes of other kinds are kept on the
 * rewarded trajectory but do not count. {@link #id()} names the spec and a hash of its content, so
 * training data can be traced to the exact arithmetic that labeled it.
 */
public final class RewardSpec {
  public static final String NAME = "reward.spec.name";
  public static final String REQUIRED = "reward.required";
  public static final String KIND_PREFIX = "reward.kind.";
  public static final String DEFAULT_NAME = "default";

  private static final String WEIGHT = "weight";
  private static final String COMBINE = "combine";

  /** How several outcomes of one kind combine into one value. */
  public enum Combine {
    /** The value of the outcome with the greatest ts; on a tie, the one that arrived later. */
    LATEST,
    /** The greatest value. */
    MAX,
    /** The sum of the values. */
    SUM;

    String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One outcome kind of the spec. */
  public record Kind(String name, double weight, Combine combine) {}

  /**
   * A computed reward.
   *
   * @param reward the sum of the components; null when no outcome of a spec'd kind is present
   * @param components each present spec'd kind's weight times its combined value
   * @param label how complete the reward is
   */
  public record Reward(Double reward, Map<String, Double> components, LabelStatus label) {}

  private static final RewardSpec DEFAULT = new RewardSpec(DEFAULT_NAME,
      kinds(new Kind("tests_passed", 0.3, Combine.LATEST), new Kind("pr_merged", 0.5, Combine.MAX),
          new Kind("user_kept", 0.2, Combine.LATEST)),
      new TreeSet<>(List.of("tests_passed", "pr_merged")));

  private final String name;
  private final SortedMap<String, Kind> kinds;
  private final SortedSet<String> required;
  private final String id;

  private RewardSpec(String name, SortedMap<String, Kind> kinds, SortedSet<String> required) {
    this.name = name;
    this.kinds = Collections.unmodifiableSortedMap(kinds);
    this.required = Collections.unmodifiableSortedSet(required);
    this.id = name + "@" + sha256Prefix(canonicalText());
  }

  /** The documented default spec. */
  public static RewardSpec defaultSpec() {
    return DEFAULT;
  }

  /**
   * Parses a spec from its settings.
   *
   * @param name the spec's name ({@code reward.spec.name})
   * @param required {@code reward.required}, or null when it is not set
   * @param kindKeys the {@code reward.kind.*} settings with that prefix removed ({@code
   *     tests_passed.weight=0.3}); empty for the default kinds
   * @throws ConfigException naming the offending key
   */
  public static RewardSpec parse(String name, String required, Map<String, String> kindKeys) {
    if (name == null || name.isBlank()) {
      throw new ConfigException(NAME, name, "the reward spec needs a name");
    }
    SortedMap<String, Kind> kinds = kindKeys.isEmpty() ? DEFAULT.kinds : parseKinds(kindKeys);
    SortedSet<String> requiredKinds;
    if (required == null) {
      requiredKinds = kindKeys.isEmpty() ? DEFAULT.required : new TreeSet<>();
    } else {
      requiredKinds = parseRequired(required, kinds);
    }
    return new RewardSpec(name.trim(), new TreeMap<>(kinds), new TreeSet<>(requiredKinds));
  }

  /** {@code <name>@<first 8 hex characters of the SHA-256 of the spec's canonical text>}. */
  public String id() {
    return id;
  }

  public String name() {
    return name;
  }

  /** The kinds by name. */
  public SortedMap<String, Kind> kinds() {
    return kinds;
  }

  /** The kinds needed for LABELED; empty when any spec'd kind is enough. */
  public SortedSet<String> required() {
    return required;
  }

  /** The reward of {@code outcomes}, given in arrival order. */
  public Reward compute(List<Outcome> outcomes) {
    Map<String, Double> components = new TreeMap<>();
    for (Kind kind : kinds.values()) {
      Double combined = combine(kind, outcomes);
      if (combined != null) {
        components.put(kind.name(), kind.weight() * combined);
      }
    }
    Double reward = null;
    for (double component : components.values()) { // sorted by kind, so the sum is reproducible
      reward = reward == null ? component : reward + component;
    }
    boolean labeled = required.isEmpty() ? !components.isEmpty() : components.keySet().containsAll(required);
    LabelStatus label = labeled ? LabelStatus.LABELED : outcomes.isEmpty() ? LabelStatus.UNLABELED : LabelStatus.PARTIAL;
    return new Reward(reward, Collections.unmodifiableMap(components), label);
  }

  /**
   * The text the id hashes: versioned, kinds sorted by name, weights in Java's shortest round-trip
   * form (so {@code 0.50} and {@code 0.5} are one spec), required kinds sorted. The name is not in
   * it: two names for the same arithmetic share the hash.
   */
  String canonicalText() {
    String kindText = kinds.values().stream()
        .map(kind -> kind.name() + ":" + Double.toString(kind.weight()) + ":" + kind.combine().id())
        .collect(Collectors.joining(","));
    return "reward-spec/v1;kinds=" + kindText + ";required=" + String.join(",", required);
  }

  @Override
  public String toString() {
    return id + " " + canonicalText();
  }

  private static Double combine(Kind kind, List<Outcome> outcomes) {
    Double value = null;
    Outcome latest = null;
    for (Outcome outcome : outcomes) {
      if (!kind.name().equals(outcome.getKind())) {
        continue;
      }
      double v = outcome.getValue();
      switch (kind.combine()) {
        case MAX -> value = value == null ? v : Math.max(value, v);
        case SUM -> value = value == null ? v : value + v;
        case LATEST -> {
          // Arrival order: ">=" lets the later arrival win a tie on ts.
          if (latest == null || outcome.getTs().compareTo(latest.getTs()) >= 0) {
            latest = outcome;
            value = v;
          }
        }
      }
    }
    return value;
  }

  private static SortedMap<String, Kind> parseKinds(Map<String, String> kindKeys) {
    SortedMap<String, EnumMap<Attribute, String>> byKind = new TreeMap<>();
    for (Map.Entry<String, String> entry : new TreeMap<>(kindKeys).entrySet()) {
      String key = entry.getKey();
      int dot = key.lastIndexOf('.');
      Attribute attribute = dot <= 0 ? null : Attribute.of(key.substring(dot + 1));
      if (attribute == null) {
        throw new ConfigException(KIND_PREFIX + key, entry.getValue(),
            "expected " + KIND_PREFIX + "<kind>." + WEIGHT + " or " + KIND_PREFIX + "<kind>." + COMBINE);
      }
      byKind.computeIfAbsent(key.substring(0, dot), k -> new EnumMap<>(Attribute.class))
          .put(attribute, entry.getValue());
    }
    SortedMap<String, Kind> kinds = new TreeMap<>();
    byKind.forEach((kind, attributes) -> {
      String weightKey = KIND_PREFIX + kind + "." + WEIGHT;
      String weightText = attributes.get(Attribute.WEIGHT);
      if (weightText == null) {
        throw new ConfigException(weightKey, null, "missing: every kind of the reward spec needs a weight");
      }
      String combineText = attributes.getOrDefault(Attribute.COMBINE, Combine.LATEST.id());
      kinds.put(kind, new Kind(kind, parseWeight(weightKey, weightText),
          parseCombine(KIND_PREFIX + kind + "." + COMBINE, combineText)));
    });
    return kinds;
  }

  private static double parseWeight(String key, String text) {
    double weight;
    try {
      weight = Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, text, "must be a number");
    }
    if (Double.isNaN(weight) || Double.isInfinite(weight)) {
      throw new ConfigException(key, text, "must be a finite number");
    }
    if (weight < 0) {
      throw new ConfigException(key, text, "must not be negative");
    }
    return weight + 0.0; // -0.0 becomes 0.0, so it hashes as the same spec
  }

  private static Combine parseCombine(String key, String text) {
    String wanted = text.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(Combine.values()).filter(c -> c.id().equals(wanted)).findFirst()
        .orElseThrow(() -> new ConfigException(key, text, "must be one of latest, max, sum"));
  }

  private static SortedSet<String> parseRequired(String text, Map<String, Kind> kinds) {
    SortedSet<String> required = new TreeSet<>();
    for (String part : text.split(",")) {
      String kind = part.trim();
      if (kind.isEmpty()) {
        continue;
      }
      if (!kinds.containsKey(kind)) {
        throw new ConfigException(REQUIRED, text, "kind '" + kind + "' has no weight in the reward spec; set "
            + KIND_PREFIX + kind + "." + WEIGHT + " or remove it (spec'd kinds: " + String.join(", ", kinds.keySet()) + ")");
      }
      required.add(kind);
    }
    return required;
  }

  private static SortedMap<String, Kind> kinds(Kind... kinds) {
    SortedMap<String, Kind> map = new TreeMap<>();
    for (Kind kind : kinds) {
      map.put(kind.name(), kind);
    }
    return map;
  }

  private static String sha256Prefix(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private enum Attribute {
    WEIGHT, COMBINE;

    static Attribute of(String text) {
      return switch (text) {
        case "weight" -> WEIGHT;
        case "combine" -> COMBINE;
        default -> null;
      };
    }
  }
}
