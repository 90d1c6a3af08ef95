package org.trajlake.schema.recorder;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.trajlake.schema.Topics;
import org.trajlake.schema.WorkspaceNames;
import org.trajlake.schema.serde.AvroSerdeConfig;

/**
 * Settings of a {@link TrajectoryRecorder}: where to write, who is writing, and the registry keys
 * of {@link AvroSerdeConfig}. Keys starting with {@value #PRODUCER_PREFIX} go to the Kafka producer
 * with the prefix removed (for example {@code producer.linger.ms=20}).
 */
public final class RecorderConfig extends AbstractConfig {
  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String WORKSPACE = "workspace";
  public static final String AGENT_ID = "agent.id";
  public static final String TOPIC_PREFIX = "topic.prefix";
  public static final String PRODUCER_PREFIX = "producer.";

  private static final ConfigDef CONFIG_DEF =
      new ConfigDef(AvroSerdeConfig.configDef())
          .define(
              BOOTSTRAP_SERVERS,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              "Kafka brokers to connect to, as host:port[,host:port].")
          .define(
              WORKSPACE,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              (name, value) -> {
                if (!WorkspaceNames.isValid((String) value)) {
                  throw new ConfigException(name, value, "a workspace is " + WorkspaceNames.RULE);
                }
              },
              Importance.HIGH,
              "Isolation boundary (team, tenant, project) of every trajectory this recorder writes.")
          .define(
              AGENT_ID,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              "The agent writing, ideally with its version, for example coder@1.4.2.")
          .define(
              TOPIC_PREFIX,
              Type.STRING,
              Topics.DEFAULT_PREFIX,
              Importance.LOW,
              "Prefix of trajectory-lake's topic names; events go to <prefix>events.");

  public RecorderConfig(Map<String, ?> originals) {
    super(CONFIG_DEF, originals, false);
    checkDeliveryGuarantees(producerOverrides());
  }

  public static ConfigDef configDef() {
    return new ConfigDef(CONFIG_DEF);
  }

  public String bootstrapServers() {
    return getString(BOOTSTRAP_SERVERS);
  }

  public String workspace() {
    return getString(WORKSPACE);
  }

  public String agentId() {
    return getString(AGENT_ID);
  }

  public String topicPrefix() {
    return getString(TOPIC_PREFIX);
  }

  /** The {@value #PRODUCER_PREFIX} keys, without the prefix. */
  public Map<String, Object> producerOverrides() {
    return new HashMap<>(originalsWithPrefix(PRODUCER_PREFIX));
  }

  /** The serde keys ({@link AvroSerdeConfig}) as given. */
  public Map<String, Object> serdeConfig() {
    return new HashMap<>(originals());
  }

  // An agent's events must arrive once and in order; an override that gives that up is a mistake
  // worth failing on, not a tuning knob.
  private static void checkDeliveryGuarantees(Map<String, Object> overrides) {
    Object idempotence = overrides.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG);
    if (idempotence != null && !"true".equalsIgnoreCase(String.valueOf(idempotence))) {
      throw new ConfigException(
          PRODUCER_PREFIX + ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
          idempotence,
          "the recorder needs an idempotent producer so retries never duplicate or reorder steps");
    }
    Object acks = overrides.get(ProducerConfig.ACKS_CONFIG);
    if (acks != null && !"all".equalsIgnoreCase(String.valueOf(acks)) && !"-1".equals(String.valueOf(acks))) {
      throw new ConfigException(
          PRODUCER_PREFIX + ProducerConfig.ACKS_CONFIG,
          acks,
          "the recorder needs acks=all: an idempotent producer requires it, and a step acknowledged by"
              + " one replica can be lost");
    }
  }
}
