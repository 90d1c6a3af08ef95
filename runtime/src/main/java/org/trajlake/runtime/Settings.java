package org.trajlake.runtime;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Where a service's settings come from, highest first: explicit values (flags), {@code TRAJLAKE_*}
 * environment variables, a properties file, then the defaults of the service's {@link ConfigDef}.
 * The variable of a key is {@code TRAJLAKE_} and the key upper-cased with dots and dashes as
 * underscores: {@code ingest.max.steps} is {@code TRAJLAKE_INGEST_MAX_STEPS}.
 */
public final class Settings {
  private static final Pattern CONFIG_NAME = Pattern.compile("configuration ([A-Za-z0-9._-]+)");

  private final Map<String, String> explicit;
  private final Map<String, String> env;
  private final Map<String, String> file;
  private final Optional<Path> fileName;
  // Non-empty when several services share these settings in one process: "<service>." keys win for that service.
  private final String scope;
  // Every key and free prefix read so far, shared by the settings derived from one load, so that a key given
  // on the command line which nothing read (a typo, another service's key) can be named.
  private final Set<String> keysRead;
  private final Set<String> prefixesRead;

  private Settings(Map<String, String> explicit, Map<String, String> env, Map<String, String> file, Optional<Path> fileName) {
    this(explicit, env, file, fileName, "", ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet());
  }

  private Settings(Map<String, String> explicit, Map<String, String> env, Map<String, String> file, Optional<Path> fileName,
      String scope, Set<String> keysRead, Set<String> prefixesRead) {
    this.explicit = Map.copyOf(explicit);
    this.env = Map.copyOf(env);
    this.file = Map.copyOf(file);
    this.fileName = fileName;
    this.scope = scope;
    this.keysRead = keysRead;
    this.prefixesRead = prefixesRead;
  }

  /**
   * Settings from explicit values, the environment and an optional properties file.
   *
   * @throws ConfigException when the file cannot be read
   */
  public static Settings load(Map<String, String> explicit, Map<String, String> env, Optional<Path> configFile) {
    Map<String, String> fromFile = new LinkedHashMap<>();
    if (configFile.isPresent()) {
      Properties props = new Properties();
      try (Reader reader = Files.newBufferedReader(configFile.get(), StandardCharsets.UTF_8)) {
        props.load(reader);
      } catch (IOException e) {
        throw new ConfigException("cannot read the config file " + configFile.get() + ": " + e.getMessage());
      }
      props.stringPropertyNames().forEach(key -> fromFile.put(key, props.getProperty(key).trim()));
    }
    return new Settings(explicit, env, fromFile, configFile);
  }

  /** Only the given values, for tests and embedded use. */
  public static Settings of(Map<String, String> values) {
    return new Settings(values, Map.of(), Map.of(), Optional.empty());
  }

  public static String envVarFor(String key) {
    return "TRAJLAKE_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** This with more explicit values on top (they win over everything already here). */
  public Settings with(Map<String, String> values) {
    Map<String, String> merged = new HashMap<>(explicit);
    merged.putAll(values);
    return new Settings(merged, env, file, fileName, scope, keysRead, prefixesRead);
  }

  /**
   * This with {@code defaults} underneath everything already here: a value from them is used only when
   * no flag, variable or file sets the key (for settings derived from where a local stack runs).
   */
  public Settings withDefaults(Map<String, String> defaults) {
    Map<String, String> merged = new HashMap<>(defaults);
    merged.putAll(file);
    return new Settings(explicit, env, merged, fileName, scope, keysRead, prefixesRead);
  }

  /**
   * These settings as service {@code service} sees them when several services share them in one process
   * ({@code trajlake run all}): a key prefixed with the service's name, from any source, wins over the
   * plain key, so {@code sink.commit.interval.ms} sets the sink's commit interval and not the Streams apps'.
   */
  public Settings scopedTo(String service) {
    return new Settings(explicit, env, file, fileName, service + ".", keysRead, prefixesRead);
  }

  /** The value of each key {@code def} defines, from the highest source that sets it. */
  public Map<String, String> resolve(ConfigDef def) {
    Map<String, String> values = new HashMap<>();
    for (String key : def.names()) {
      lookup(key).ifPresent(value -> values.put(key, value));
    }
    return values;
  }

  /**
   * The keys under {@code prefix} (for example {@code streams.} for Kafka Streams overrides) from the
   * file and explicit values, with the prefix removed. Environment variables cannot name such free
   * keys unambiguously, so they do not apply here.
   */
  public Map<String, String> prefixed(String prefix) {
    Map<String, String> values = new HashMap<>();
    for (String wanted : scope.isEmpty() ? List.of(prefix) : List.of(prefix, scope + prefix)) {
      prefixesRead.add(wanted);
      for (Map<String, String> source : List.of(file, explicit)) {
        source.forEach((key, value) -> {
          if (key.startsWith(wanted) && key.length() > wanted.length()) {
            values.put(key.substring(wanted.length()), value);
          }
        });
      }
    }
    return values;
  }

  /**
   * Builds a config class, naming in any error where the offending key can be set, so a
   * misconfigured service says exactly what to fix before it starts.
   */
  public <C> C build(ConfigDef def, Function<Map<String, String>, C> constructor) {
    try {
      return constructor.apply(resolve(def));
    } catch (ConfigException e) {
      Matcher matcher = CONFIG_NAME.matcher(String.valueOf(e.getMessage()));
      String where = !matcher.find() ? ""
          : " (" + (def.names().contains(matcher.group(1)) ? describe(matcher.group(1)) : describeFree(matcher.group(1))) + ")";
      throw new ConfigException(e.getMessage() + where);
    }
  }

  /** Where a key can be set, and where its current value came from. */
  public String describe(String key) {
    String source = explicit.containsKey(key) ? "given on the command line"
        : env.containsKey(envVarFor(key)) ? "from " + envVarFor(key)
        : file.containsKey(key) ? "from " + fileName.map(Path::toString).orElse("the config file")
        : "the default";
    return "set it with " + envVarFor(key) + ", " + key + "=... in the config file, or --set " + key + "=...; the value was "
        + source;
  }

  /** Where a free key (see {@link #prefixed}) can be set: the file or the command line, not the environment. */
  public String describeFree(String key) {
    String source = explicit.containsKey(key) ? "given on the command line"
        : file.containsKey(key) ? "from " + fileName.map(Path::toString).orElse("the config file")
        : "the default";
    return "set it as " + key + "=... in the config file, or --set " + key + "=...; the value was " + source;
  }

  /**
   * The keys given as explicit values (on the command line) that nothing built from these settings, or from
   * settings derived from them, has read: a misspelt key, or one of another service. Ask once every config is
   * built.
   */
  public List<String> unreadExplicitKeys() {
    return explicit.keySet().stream().filter(key -> !wasRead(key)).sorted().toList();
  }

  /** Whether {@code key}, or a free prefix it falls under, has been read from these or derived settings. */
  public boolean wasRead(String key) {
    return keysRead.contains(key)
        || prefixesRead.stream().anyMatch(prefix -> key.startsWith(prefix) && key.length() > prefix.length());
  }

  /**
   * Refuses keys given on the command line that nothing read, which would otherwise be ignored without a word.
   *
   * @param command the command the keys were given to, named in the message with where its keys are listed
   * @throws ConfigException naming each such key
   */
  public void requireExplicitKeysRead(String command) {
    requireExplicitKeysRead(command, key -> false);
  }

  /**
   * As {@link #requireExplicitKeysRead(String)}, letting through keys {@code elsewhere} knows: another service's,
   * given to every service alike by a script.
   */
  public void requireExplicitKeysRead(String command, Predicate<String> elsewhere) {
    List<String> unread = unreadExplicitKeys().stream().filter(key -> !elsewhere.test(key)).toList();
    if (!unread.isEmpty()) {
      throw new ConfigException("unknown setting" + (unread.size() == 1 ? " " : "s ") + String.join(", ", unread)
          + " given with --set: no trajlake service reads such a key (" + command + " --help lists the keys of "
          + command + ")");
    }
  }

  private Optional<String> lookup(String key) {
    keysRead.add(scope + key);
    keysRead.add(key);
    if (!scope.isEmpty()) {
      Optional<String> scoped = lookupPlain(scope + key);
      if (scoped.isPresent()) {
        return scoped;
      }
    }
    return lookupPlain(key);
  }

  private Optional<String> lookupPlain(String key) {
    if (explicit.containsKey(key)) {
      return Optional.of(explicit.get(key));
    }
    String variable = env.get(envVarFor(key));
    if (variable != null) {
      return Optional.of(variable);
    }
    return Optional.ofNullable(file.get(key));
  }
}
