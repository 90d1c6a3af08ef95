package org.trajlake.schema.serde;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.trajlake.schema.registry.CachingSchemaRegistry;
import org.trajlake.schema.registry.HttpSchemaRegistry;
import org.trajlake.schema.registry.SchemaRegistry;

/**
 * Settings of {@link ConfluentAvroSerde}. Keys carry Confluent's names where Confluent has one, so
 * an existing Confluent client configuration works unchanged.
 */
public final class AvroSerdeConfig extends AbstractConfig {
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
  public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
  public static final String CACHE_CAPACITY = "schema.registry.cache.capacity";

  private static final ConfigDef CONFIG_DEF =
      new ConfigDef()
          .define(
              SCHEMA_REGISTRY_URL,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              AvroSerdeConfig::validateUrl,
              Importance.HIGH,
              "Base URL of a Confluent-compatible schema registry API, for example"
                  + " http://localhost:8080/apis/ccompat/v7 (Apicurio) or http://localhost:8081 (Confluent).")
          .define(
              AUTO_REGISTER_SCHEMAS,
              Type.BOOLEAN,
              false,
              Importance.MEDIUM,
              "Register the record's schema on first write when it is not registered yet. Off by"
                  + " default: schemas are provisioned once, so an agent with a stale or edited schema"
                  + " fails loudly instead of silently adding a version.")
          .define(
              BASIC_AUTH_USER_INFO,
              Type.PASSWORD,
              "",
              AvroSerdeConfig::validateUserInfo,
              Importance.MEDIUM,
              "Basic auth credentials for the registry as user:password; empty for none.")
          .define(
              REQUEST_TIMEOUT_MS,
              Type.INT,
              10_000,
              ConfigDef.Range.atLeast(1),
              Importance.LOW,
              "How long one registry HTTP request may take, in milliseconds, before it is retried.")
          .define(
              CACHE_CAPACITY,
              Type.INT,
              1000,
              ConfigDef.Range.atLeast(1),
              Importance.LOW,
              "How many schemas by id, and ids by (subject, schema), are kept in memory.");

  public AvroSerdeConfig(Map<String, ?> originals) {
    // Not logged: one serde per topic would print the same block several times per client.
    super(CONFIG_DEF, originals, false);
  }

  /** Every key, its type, default, importance and doc. */
  public static ConfigDef configDef() {
    return new ConfigDef(CONFIG_DEF);
  }

  public String schemaRegistryUrl() {
    return getString(SCHEMA_REGISTRY_URL);
  }

  public boolean autoRegisterSchemas() {
    return getBoolean(AUTO_REGISTER_SCHEMAS);
  }

  public Optional<String> basicAuthUserInfo() {
    String value = getPassword(BASIC_AUTH_USER_INFO).value();
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  public Duration requestTimeout() {
    return Duration.ofMillis(getInt(REQUEST_TIMEOUT_MS));
  }

  public int cacheCapacity() {
    return getInt(CACHE_CAPACITY);
  }

  /** A caching registry client for these settings; share it between the serdes of one process. */
  public SchemaRegistry schemaRegistry() {
    HttpSchemaRegistry http =
        HttpSchemaRegistry.builder(schemaRegistryUrl())
            .requestTimeout(requestTimeout())
            .basicAuthUserInfo(basicAuthUserInfo().orElse(null))
            .build();
    return new CachingSchemaRegistry(http, cacheCapacity());
  }

  /** Reads only {@code auto.register.schemas}, for serdes whose registry was injected. */
  static Optional<Boolean> autoRegisterSchemas(Map<String, ?> originals) {
    Object value = originals.get(AUTO_REGISTER_SCHEMAS);
    if (value == null) {
      return Optional.empty();
    }
    return Optional.of((Boolean) ConfigDef.parseType(AUTO_REGISTER_SCHEMAS, value, Type.BOOLEAN));
  }

  private static void validateUrl(String name, Object value) {
    if (value == null) {
      throw new ConfigException(name, null, "the schema registry URL is required");
    }
    try {
      HttpSchemaRegistry.builder((String) value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name, value, e.getMessage());
    }
  }

  private static void validateUserInfo(String name, Object value) {
    String userInfo = value == null ? "" : ((Password) value).value();
    if (!userInfo.isEmpty() && userInfo.indexOf(':') < 0) {
      throw new ConfigException(name, value, "must look like user:password");
    }
  }
}
