package org.trajlake.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.NonEmptyString;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.trajlake.runtime.Settings;
import org.trajlake.schema.Topics;
import org.trajlake.schema.provision.TopicProvisioner;
import org.trajlake.schema.registry.HttpSchemaRegistry;
import org.trajlake.schema.registry.SchemaRegistry;
import picocli.CommandLine.Command;

/**
 * {@code trajlake provision}: what {@code trajlake up} does after its servers are healthy (create the
 * topics, register the schemas) against servers that run elsewhere, for a deployment's init step. The
 * services never create topics or register schemas themselves (their serdes look schemas up, read-only),
 * so this runs once before them, and again after an upgrade that adds a schema; it is idempotent.
 */
@Command(name = "provision", mixinStandardHelpOptions = true,
    description = "Create the missing topics and register the value schemas on an existing Kafka cluster and "
        + "registry (a deployment's init step; `trajlake up` does the same for the local stack). Existing topics "
        + "are left as they are. Settings come from --set, TRAJLAKE_* variables, --config FILE, then defaults; "
        + "Kafka admin client settings (SASL, TLS) are given as admin.<key> in the file or with --set.",
    footerHeading = "%nSettings (key, default, meaning):%n")
final class ProvisionCommand extends RunCommand.ServiceCommand {
  static final String PARTITIONS = "partitions";
  static final String REPLICATION_FACTOR = "replication.factor";
  static final String ADMIN_PREFIX = "admin.";
  // The rule `trajlake up` gives its registry: a new schema version must read data written with the last.
  private static final String COMPATIBILITY = "BACKWARD";

  static final ConfigDef CONFIG = kafkaTopics()
      .define("schema.registry.url", Type.STRING, "http://127.0.0.1:8081/apis/ccompat/v7", new NonEmptyString(),
          Importance.HIGH, "Confluent-compatible schema registry URL (Apicurio: .../apis/ccompat/v7).")
      .define(PARTITIONS, Type.INT, TopicProvisioner.DEFAULT_PARTITIONS, Range.between(1, 10_000), Importance.HIGH,
          "Partitions of each topic created here: the most instances a service can spread over.")
      .define(REPLICATION_FACTOR, Type.SHORT, (short) 1, Range.between(1, 100), Importance.HIGH,
          "Replicas of each topic created here; 3 on a cluster (with min.insync.replicas=2 on the brokers).");

  /** Where the cluster and its topics are: the keys every command that talks to Kafka takes. */
  static ConfigDef kafkaTopics() {
    return new ConfigDef()
        .define("bootstrap.servers", Type.STRING, "127.0.0.1:9092", new NonEmptyString(), Importance.HIGH,
            "Kafka bootstrap servers.")
        .define("topic.prefix", Type.STRING, Topics.DEFAULT_PREFIX, Importance.MEDIUM, "Prefix of every topic name.");
  }

  /** The keys of {@code definition} (a {@link #kafkaTopics} definition) read from {@code settings}. */
  static AbstractConfig kafkaTopicsConfig(Settings settings, ConfigDef definition) {
    return settings.build(definition, values -> new AbstractConfig(definition, values, false));
  }

  /**
   * A Kafka client's properties: the bootstrap servers of {@code config} (a {@link #kafkaTopics} config),
   * then every setting given as {@code <prefix><key>} (SASL, TLS).
   */
  static Map<String, Object> kafkaClient(AbstractConfig config, Settings settings, String prefix) {
    Map<String, Object> properties = new HashMap<>();
    properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.getString("bootstrap.servers"));
    properties.putAll(settings.prefixed(prefix));
    return properties;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Settings settings = settings();
    AbstractConfig config = kafkaTopicsConfig(settings, CONFIG);
    Map<String, Object> admin = kafkaClient(config, settings, ADMIN_PREFIX);
    requireSetKeysRead();

    SchemaRegistry registry = HttpSchemaRegistry.builder(config.getString("schema.registry.url")).build();
    // Set before registering: a registry that starts empty must hold new versions to the same rule as `up`'s.
    registry.setCompatibility(COMPATIBILITY);
    UpCommand.Provisioned provisioned = UpCommand.provision(admin, registry, config.getString("topic.prefix"),
        config.getInt(PARTITIONS), config.getShort(REPLICATION_FACTOR), Duration.ofSeconds(60));
    provisioned.print(out, config.getInt(PARTITIONS) + " partitions, replication factor "
        + config.getShort(REPLICATION_FACTOR) + " when created here", "; compatibility " + COMPATIBILITY);
    out.flush();
    return provisioned.topics().hasMismatches() ? UpCommand.TOPIC_MISCONFIGURED : 0;
  }
}
