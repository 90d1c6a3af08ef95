package org.trajlake.stack;

import java.util.Locale;

/**
 * Every setting of the local stack, with its default and doc line. A setting is given as a flag
 * ({@code --kafka-port 19092}) or as an environment variable ({@code TRAJLAKE_KAFKA_PORT=19092});
 * the flag wins. This enum is the one place those names are spelled.
 */
public enum StackSetting {
  DATA_DIR("data-dir", ".trajlake", Kind.PATH,
      "Directory for every server's data, logs and run files, the Iceberg catalog and warehouse"),
  HOST("host", "127.0.0.1", Kind.HOST, "Address every server binds to and advertises"),
  KAFKA_PORT("kafka-port", "9092", Kind.PORT, "Kafka broker (PLAINTEXT listener) port"),
  KAFKA_CONTROLLER_PORT("kafka-controller-port", "9093", Kind.PORT, "Kafka KRaft controller listener port"),
  KAFKA_SASL_PORT("kafka-sasl-port", "9094", Kind.PORT,
      "Kafka broker SASL_PLAINTEXT listener port (mechanism PLAIN, user trajlake, password trajlake-local), "
          + "to try the services' SASL settings locally"),
  REGISTRY_PORT("registry-port", "8081", Kind.PORT,
      "Apicurio Registry HTTP port; the Confluent API is at /apis/ccompat/v7"),
  REGISTRY_MANAGEMENT_PORT("registry-management-port", "9081", Kind.PORT,
      "Apicurio Registry management port (health checks at /health/ready)"),
  OPENSEARCH_PORT("opensearch-port", "9200", Kind.PORT, "OpenSearch HTTP port"),
  OPENSEARCH_TRANSPORT_PORT("opensearch-transport-port", "9300", Kind.PORT, "OpenSearch transport port"),
  KAFKA_HEAP("kafka-heap", "512m", Kind.HEAP, "Maximum heap of the Kafka broker JVM"),
  REGISTRY_HEAP("registry-heap", "256m", Kind.HEAP, "Maximum heap of the registry JVM"),
  OPENSEARCH_HEAP("opensearch-heap", "1g", Kind.HEAP, "Heap of the OpenSearch JVM (min = max, as OpenSearch advises)"),
  SERVER_JAVA_HOME("server-java-home", "", Kind.OPTIONAL_PATH,
      "A Java 21+ runtime (JDK or JRE home) for the registry and OpenSearch; when empty, JAVA_HOME "
          + "and the usual JVM folders are searched"),
  SERVERS_DIR("servers-dir", "", Kind.OPTIONAL_PATH,
      "Directory holding the server homes (kafka/, apicurio/, opensearch/); when empty, the "
          + "distribution's servers/ folder or the build tree's deploy/servers/*/target is used"),
  START_TIMEOUT("start-timeout", "180", Kind.SECONDS, "Seconds to wait for every component to become healthy");

  /** How a setting's value is checked and read. */
  enum Kind { PATH, OPTIONAL_PATH, HOST, PORT, HEAP, SECONDS }

  private final String key;
  private final String defaultValue;
  private final Kind kind;
  private final String doc;

  StackSetting(String key, String defaultValue, Kind kind, String doc) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.kind = kind;
    this.doc = doc;
  }

  public String key() {
    return key;
  }

  public String flag() {
    return "--" + key;
  }

  public String envVar() {
    return "TRAJLAKE_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String doc() {
    return doc;
  }

  Kind kind() {
    return kind;
  }

  /** What the value is, for usage text: PORT, DIR, SIZE, SECONDS or HOST. */
  public String valueLabel() {
    switch (kind) {
      case PORT:
        return "PORT";
      case HEAP:
        return "SIZE";
      case SECONDS:
        return "SECONDS";
      case HOST:
        return "HOST";
      default:
        return "DIR";
    }
  }

  /** True for the settings that choose a TCP port. */
  public boolean isPort() {
    return kind == Kind.PORT;
  }

  /** How to name the setting in an error message: both ways a user can set it. */
  public String describe() {
    return flag() + " / " + envVar();
  }
}
