package org.trajlake.recall;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.trajlake.recall.http.ApiKeys;
import org.trajlake.recall.index.OpenSearchSettings;
import org.trajlake.recall.query.WorkspaceScopes;
import org.trajlake.runtime.Settings;

/**
 * Settings of the recall service: where OpenSearch and the indexes are (shared with the indexer),
 * the HTTP endpoint, the fusion, and, as free keys in the config file or on the command line,
 * workspace inheritance ({@code recall.workspace.<ws>.parents}) and API keys
 * ({@code recall.api.key.<name>}, {@code recall.api.key.<name>.workspaces}). Build it with
 * {@link #from(Settings)}; every invalid value fails here, naming its key, before anything starts.
 */
public final class RecallConfig extends AbstractConfig {
  public static final String HOST = "recall.host";
  public static final String PORT = "recall.port";
  public static final String MAX_K = "recall.max.k";
  public static final String WINDOW = "recall.window";
  public static final String RRF_K = "recall.rrf.k";
  public static final String BM25_WEIGHT = "recall.rrf.bm25.weight";
  public static final String VECTOR_WEIGHT = "recall.rrf.vector.weight";
  public static final String HYBRID_MINIMUM_SHOULD_MATCH = "recall.hybrid.minimum.should.match";
  public static final String TIMEOUT_MS = "recall.timeout.ms";
  public static final String HYBRID = "recall.hybrid";
  public static final String MCP_WORKSPACES = "recall.mcp.workspaces";
  public static final String HYBRID_AUTO = "auto";
  public static final String HYBRID_APP = "app";

  /** minimum_should_match: empty, a count or percentage (negative allowed), or conditions like 2<60% 5<-1. */
  private static final ConfigDef.Validator MINIMUM_SHOULD_MATCH = (name, value) -> {
    String text = value == null ? "" : value.toString().trim();
    if (!text.isEmpty() && !text.matches("(\\d+<)?-?\\d+%?(\\s+\\d+<-?\\d+%?)*")) {
      throw new ConfigException(name, value, "not an OpenSearch minimum_should_match: use a count (2), a "
          + "percentage (60%), conditions (2<60%), or nothing for any term");
    }
  };

  private static final ConfigDef CONFIG_DEF = OpenSearchSettings.define(new ConfigDef())
      .define(HOST, Type.STRING, "127.0.0.1", Importance.HIGH,
          "Address the recall HTTP endpoint (and MCP at /mcp) listens on; 0.0.0.0 for every interface "
              + "(then configure API keys).")
      .define(PORT, Type.INT, 8090, Range.between(0, 65535), Importance.HIGH,
          "Port of the recall HTTP endpoint; 0 picks a free one.")
      .define(MAX_K, Type.INT, 100, Range.between(1, 100), Importance.MEDIUM,
          "Largest k a request may ask for; a larger one is refused with 400.")
      .define(WINDOW, Type.INT, 10, Range.between(1, 1000), Importance.MEDIUM,
          "Hits each leg of a hybrid recall contributes to the fusion (at least k), and the k of its "
              + "k-NN clause. Deeper lets documents that both legs rank only middling outrank one a leg "
              + "ranks first: on trajlake bench relevance, 20 found the task in the top 5 for 84% of "
              + "requests in other words against 96% with 10, and the same 100% of requests by identifier.")
      .define(RRF_K, Type.INT, 60, Range.between(1, 10_000), Importance.LOW,
          "Rank constant of reciprocal rank fusion: score = sum over legs of weight/(rrf.k + rank). Larger "
              + "flattens the advantage of the top ranks; 60 is the usual choice.")
      .define(BM25_WEIGHT, Type.DOUBLE, 1.0, Range.between(0, 1), Importance.LOW,
          "How much a trajectory's BM25 rank counts in the fusion: score = sum over legs of "
              + "weight/(rrf.k + rank). 1 and 1 is plain RRF. Lower it where requests mostly describe a "
              + "task in other words than the trajectories use; measure with trajlake bench relevance.")
      .define(VECTOR_WEIGHT, Type.DOUBLE, 1.0, Range.between(0, 1), Importance.LOW,
          "How much a trajectory's k-NN rank counts in the fusion (see " + BM25_WEIGHT + "). Lower it "
              + "where requests mostly name identifiers, error codes or file names.")
      .define(HYBRID_MINIMUM_SHOULD_MATCH, Type.STRING, "2<60%", MINIMUM_SHOULD_MATCH, Importance.LOW,
          "How many of the request's terms a trajectory must hold (in its summary, or in its steps) for the "
              + "BM25 leg of a hybrid recall to rank it, in OpenSearch's minimum_should_match syntax: 2<60% "
              + "is both terms of a two-term request and 60% of a longer one's. RRF counts ranks, not how "
              + "well a document matched, so without it a document sharing one common word with a request "
              + "ranks first in the BM25 leg as surely as an exact match; the k-NN leg finds what it "
              + "drops. Empty: any term. BM25 mode and step recall match any term.")
      .define(TIMEOUT_MS, Type.LONG, 2000L, Range.between(1, 600_000), Importance.MEDIUM,
          "How long a recall waits for OpenSearch before it answers 504.")
      .define(HYBRID, Type.STRING, HYBRID_AUTO, ValidString.in(HYBRID_AUTO, HYBRID_APP), Importance.LOW,
          "auto: use the cluster's native hybrid query with an RRF search pipeline when the neural-search "
              + "plugin is installed, else fuse here; app: always fuse here.")
      .define(MCP_WORKSPACES, Type.LIST, "", Importance.MEDIUM,
          "Workspaces the MCP server over stdio may read (comma-separated); empty: any. Over HTTP, API "
              + "keys decide.");

  private final WorkspaceScopes scopes;
  private final ApiKeys apiKeys;
  private final WorkspaceAccess mcpAccess;

  /**
   * @param values the defined keys
   * @param workspaceKeys {@code recall.workspace.*} free keys, prefix removed
   * @param apiKeyKeys {@code recall.api.key.*} free keys, prefix removed
   * @throws ConfigException naming the offending key
   */
  RecallConfig(Map<String, String> values, Map<String, String> workspaceKeys, Map<String, String> apiKeyKeys) {
    super(CONFIG_DEF, values, false);
    if (getDouble(BM25_WEIGHT) == 0 && getDouble(VECTOR_WEIGHT) == 0) {
      throw new ConfigException(VECTOR_WEIGHT, 0.0, "both legs weigh 0, so hybrid recall would rank nothing; give "
          + VECTOR_WEIGHT + " or " + BM25_WEIGHT + " a weight above 0");
    }
    this.scopes = WorkspaceScopes.fromKeys(workspaceKeys);
    this.apiKeys = ApiKeys.fromKeys(apiKeyKeys);
    List<String> mcp = new ArrayList<>();
    for (String workspace : getList(MCP_WORKSPACES)) {
      if (!WorkspaceScopes.NAME.matcher(workspace).matches()) {
        throw new ConfigException(MCP_WORKSPACES, getList(MCP_WORKSPACES), "'" + workspace + "' is not a workspace name");
      }
      mcp.add(workspace);
    }
    this.mcpAccess = mcp.isEmpty() ? WorkspaceAccess.ANY : WorkspaceAccess.only("this MCP server (" + MCP_WORKSPACES + ")", mcp);
  }

  /** The recall settings from flags, {@code TRAJLAKE_*} variables and the config file. */
  public static RecallConfig from(Settings settings) {
    return settings.build(CONFIG_DEF, values -> new RecallConfig(values,
        settings.prefixed(WorkspaceScopes.PREFIX), settings.prefixed(ApiKeys.PREFIX)));
  }

  /** Every defined key with its type, default, validator and doc (for docs and the CLI). */
  public static ConfigDef configDef() {
    return new ConfigDef(CONFIG_DEF);
  }

  public OpenSearchSettings.Connection connection() {
    return OpenSearchSettings.Connection.of(this);
  }

  public String embeddingModel() {
    return getString(OpenSearchSettings.EMBEDDING_MODEL);
  }

  public int embeddingThreads() {
    return getInt(OpenSearchSettings.EMBEDDING_THREADS);
  }

  public String host() {
    return getString(HOST);
  }

  public int port() {
    return getInt(PORT);
  }

  public int maxK() {
    return getInt(MAX_K);
  }

  public int window() {
    return getInt(WINDOW);
  }

  public int rrfK() {
    return getInt(RRF_K);
  }

  public double bm25Weight() {
    return getDouble(BM25_WEIGHT);
  }

  public double vectorWeight() {
    return getDouble(VECTOR_WEIGHT);
  }

  /** The hybrid BM25 leg's minimum_should_match; empty for any term. */
  public String hybridMinimumShouldMatch() {
    return getString(HYBRID_MINIMUM_SHOULD_MATCH).trim();
  }

  public Duration timeout() {
    return Duration.ofMillis(getLong(TIMEOUT_MS));
  }

  /** Whether the native hybrid query may be used when the cluster offers it. */
  public boolean nativeHybridAllowed() {
    return HYBRID_AUTO.equals(getString(HYBRID));
  }

  public WorkspaceScopes workspaceScopes() {
    return scopes;
  }

  public ApiKeys apiKeys() {
    return apiKeys;
  }

  /** What the MCP server over stdio may read. */
  public WorkspaceAccess mcpStdioAccess() {
    return mcpAccess;
  }
}
