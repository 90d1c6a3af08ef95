package org.trajlake.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The validated settings of a local stack. Built from explicit values (flags, test code), then
 * {@code TRAJLAKE_*} environment variables, then the settings the data dir was last brought up with
 * ({@link SavedSettings}), then defaults. A bad value is refused at build time with a message naming
 * the flag and the environment variable to fix.
 */
public final class StackConfig {
  private static final Pattern HEAP = Pattern.compile("[1-9][0-9]*[kKmMgG]");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:\\-]+");

  private final Map<StackSetting, String> values;
  private final boolean stopWithParent;

  private StackConfig(Map<StackSetting, String> values, boolean stopWithParent) {
    this.values = values;
    this.stopWithParent = stopWithParent;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The defaults, overridden by {@code TRAJLAKE_*} variables of the given environment. */
  public static StackConfig fromEnvironment(Map<String, String> env) {
    return builder().environment(env).build();
  }

  public Path dataDir() {
    return Path.of(values.get(StackSetting.DATA_DIR)).toAbsolutePath().normalize();
  }

  public String host() {
    return values.get(StackSetting.HOST);
  }

  public int port(StackSetting portSetting) {
    if (portSetting.kind() != StackSetting.Kind.PORT) {
      throw new IllegalArgumentException(portSetting + " is not a port setting");
    }
    return Integer.parseInt(values.get(portSetting));
  }

  public String heap(StackSetting heapSetting) {
    if (heapSetting.kind() != StackSetting.Kind.HEAP) {
      throw new IllegalArgumentException(heapSetting + " is not a heap setting");
    }
    return values.get(heapSetting);
  }

  public Optional<Path> serverJavaHome() {
    return optionalPath(StackSetting.SERVER_JAVA_HOME);
  }

  public Optional<Path> serversDir() {
    return optionalPath(StackSetting.SERVERS_DIR);
  }

  public Duration startTimeout() {
    return Duration.ofSeconds(Long.parseLong(values.get(StackSetting.START_TIMEOUT)));
  }

  /**
   * True when the servers must not outlive the JVM that started them (test runs): each server then
   * watches its parent and exits when it is gone, even after a kill -9 of the parent.
   */
  public boolean stopWithParent() {
    return stopWithParent;
  }

  public String value(StackSetting setting) {
    return values.get(setting);
  }

  private Optional<Path> optionalPath(StackSetting setting) {
    String value = values.get(setting);
    return value.isBlank() ? Optional.empty() : Optional.of(Path.of(value).toAbsolutePath().normalize());
  }

  /** Collects values; {@link #build()} resolves and validates them all at once. */
  public static final class Builder {
    private final Map<StackSetting, String> explicit = new EnumMap<>(StackSetting.class);
    private Map<String, String> env = Map.of();
    private boolean stopWithParent;

    private Builder() {}

    public Builder set(StackSetting setting, String value) {
      if (value != null) {
        explicit.put(setting, value);
      }
      return this;
    }

    public Builder dataDir(Path dir) {
      return set(StackSetting.DATA_DIR, dir.toString());
    }

    public Builder port(StackSetting setting, int port) {
      return set(setting, Integer.toString(port));
    }

    public Builder environment(Map<String, String> environment) {
      this.env = new HashMap<>(environment);
      return this;
    }

    public Builder stopWithParent(boolean stop) {
      this.stopWithParent = stop;
      return this;
    }

    public StackConfig build() {
      Map<StackSetting, String> resolved = new EnumMap<>(StackSetting.class);
      List<String> problems = new ArrayList<>();
      Map<StackSetting, String> saved = SavedSettings.read(Path.of(layered(StackSetting.DATA_DIR, Map.of())));
      for (StackSetting setting : StackSetting.values()) {
        String value = layered(setting, saved).trim();
        validate(setting, value).ifPresent(problems::add);
        resolved.put(setting, value);
      }
      if (problems.isEmpty()) {
        distinctPorts(resolved).ifPresent(problems::add);
      }
      if (!problems.isEmpty()) {
        throw new StackException("invalid local stack settings:\n  " + String.join("\n  ", problems));
      }
      return new StackConfig(resolved, stopWithParent);
    }

    /** A flag, else an environment variable, else what the data dir was last started with, else the default. */
    private String layered(StackSetting setting, Map<StackSetting, String> saved) {
      String value = explicit.get(setting);
      if (value == null) {
        value = env.get(setting.envVar());
      }
      if (value == null) {
        value = saved.get(setting);
      }
      return value == null ? setting.defaultValue() : value;
    }

    private static Optional<String> validate(StackSetting setting, String value) {
      String bad = "'" + value + "' for " + setting.describe() + ": ";
      switch (setting.kind()) {
        case PORT:
          try {
            int port = Integer.parseInt(value);
            return port >= 1 && port <= 65535 ? Optional.empty() : Optional.of(bad + "a port is 1-65535");
          } catch (NumberFormatException e) {
            return Optional.of(bad + "not a port number");
          }
        case HEAP:
          return HEAP.matcher(value).matches()
              ? Optional.empty()
              : Optional.of(bad + "a heap size looks like 512m or 1g");
        case SECONDS:
          try {
            return Long.parseLong(value) > 0 ? Optional.empty() : Optional.of(bad + "must be more than 0");
          } catch (NumberFormatException e) {
            return Optional.of(bad + "not a number of seconds");
          }
        case HOST:
          return HOST.matcher(value).matches() ? Optional.empty() : Optional.of(bad + "not a host name or address");
        case PATH:
          return value.isBlank() ? Optional.of(bad + "a directory is required") : Optional.empty();
        case OPTIONAL_PATH:
        default:
          return Optional.empty();
      }
    }

    private static Optional<String> distinctPorts(Map<StackSetting, String> resolved) {
      Map<String, StackSetting> seen = new HashMap<>();
      for (StackSetting setting : StackSetting.values()) {
        if (setting.kind() == StackSetting.Kind.PORT) {
          StackSetting other = seen.putIfAbsent(resolved.get(setting), setting);
          if (other != null) {
            return Optional.of("port " + resolved.get(setting) + " is given to both " + other.describe()
                + " and " + setting.describe());
          }
        }
      }
      return Optional.empty();
    }
  }
}
