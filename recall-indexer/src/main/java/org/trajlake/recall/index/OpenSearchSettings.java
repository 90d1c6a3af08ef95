package org.trajlake.recall.index;

import java.time.Duration;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;
import org.trajlake.recall.embed.OnnxEmbedder;

/** The keys the indexer and the recall service share: where OpenSearch is, the indexes, the model. */
public final class OpenSearchSettings {
  public static final String URL = "opensearch.url";
  public static final String USERNAME = "opensearch.username";
  public static final String PASSWORD = "opensearch.password";
  public static final String TRUSTSTORE_PATH = "opensearch.truststore.path";
  public static final String TRUSTSTORE_PASSWORD = "opensearch.truststore.password";
  public static final String TIMEOUT_MS = "opensearch.timeout.ms";
  /** opensearch-java's own default, which a client with a connection manager of its own does not get. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  public static final String INDEX_PREFIX = "index.prefix";
  public static final String EMBEDDING_MODEL = "embedding.model";
  public static final String EMBEDDING_THREADS = "embedding.threads";
  public static final String EMBEDDING_MAX_WORDS = "embedding.max.words";
  /**
   * 24 words: a task's request and its first sentence or two. On the hand-written coding-task set
   * ({@code trajlake bench models}) 24 and 32 found the same tasks within one request of 120 either
   * way, and the indexer embedded 15% more trajectories per second at 24.
   */
  public static final int DEFAULT_EMBEDDING_MAX_WORDS = 24;

  private OpenSearchSettings() {}

  public static ConfigDef define(ConfigDef def) {
    return def
        .define(URL, Type.STRING, "http://127.0.0.1:9200", Importance.HIGH, "OpenSearch HTTP endpoint.")
        .define(USERNAME, Type.STRING, "", Importance.LOW, "Basic-auth user for OpenSearch; empty for none.")
        .define(PASSWORD, Type.PASSWORD, "", Importance.LOW, "Basic-auth password for OpenSearch.")
        .define(TRUSTSTORE_PATH, Type.STRING, "", Importance.LOW,
            "PKCS12 or JKS truststore with the CA that signed OpenSearch's certificate, for an https "
                + "opensearch.url whose CA the JVM does not trust; empty uses the JVM's truststore.")
        .define(TRUSTSTORE_PASSWORD, Type.PASSWORD, "", Importance.LOW, "Password of opensearch.truststore.path.")
        .define(TIMEOUT_MS, Type.LONG, DEFAULT_TIMEOUT.toMillis(), Range.between(1_000, 3_600_000), Importance.LOW,
            "How long a request to OpenSearch waits for the next bytes of its answer (and at most 10 s to connect) "
                + "before it fails; the indexer then retries it. Without a limit, a node that accepts a request "
                + "and never answers would hold the indexer forever.")
        .define(INDEX_PREFIX, Type.STRING, "trajlake-", Importance.MEDIUM,
            "Prefix of the index aliases <prefix>trajectories and <prefix>steps (and of their indexes).")
        .define(EMBEDDING_MODEL, Type.STRING, OnnxEmbedder.DEFAULT_MODEL,
            ConfigDef.ValidString.in(OnnxEmbedder.supported().toArray(String[]::new)), Importance.MEDIUM,
            "In-process ONNX embedding model; recorded in the index, which refuses another model.")
        .define(EMBEDDING_THREADS, Type.INT, 2, Range.atLeast(1), Importance.LOW,
            "Threads of the bounded embedding pool: texts embedded at once, one core each.")
        .define(EMBEDDING_MAX_WORDS, Type.INT, DEFAULT_EMBEDDING_MAX_WORDS, Range.between(1, 400), Importance.MEDIUM,
            "Words of a trajectory's summary that are embedded. Inference time grows with length: the indexer "
                + "embedded 15% more trajectories/s at 24 words than at 32, and 128 words embed about three times "
                + "slower than 32.");
  }

  /**
   * Connection settings read from any config that includes the keys above.
   *
   * @param trustStorePath empty to trust what the JVM trusts
   * @param timeout how long a request waits for the next bytes of its answer
   */
  public record Connection(String url, String username, String password, String indexPrefix, String trustStorePath,
      String trustStorePassword, Duration timeout) {
    /** Without a truststore of its own (the JVM's decides which https servers are trusted), the default timeout. */
    public Connection(String url, String username, String password, String indexPrefix) {
      this(url, username, password, indexPrefix, "", "");
    }

    /** With the default timeout. */
    public Connection(String url, String username, String password, String indexPrefix, String trustStorePath,
        String trustStorePassword) {
      this(url, username, password, indexPrefix, trustStorePath, trustStorePassword, DEFAULT_TIMEOUT);
    }

    public static Connection of(AbstractConfig config) {
      return new Connection(config.getString(URL), config.getString(USERNAME), secret(config, PASSWORD),
          config.getString(INDEX_PREFIX), config.getString(TRUSTSTORE_PATH), secret(config, TRUSTSTORE_PASSWORD),
          Duration.ofMillis(config.getLong(TIMEOUT_MS)));
    }

    /** The same connection with another timeout. */
    public Connection withTimeout(Duration timeout) {
      return new Connection(url, username, password, indexPrefix, trustStorePath, trustStorePassword, timeout);
    }

    private static String secret(AbstractConfig config, String key) {
      Password password = config.getPassword(key);
      return password == null ? "" : password.value();
    }

    public IndexNames indexNames() {
      return new IndexNames(indexPrefix);
    }
  }
}
