package org.trajlake.recall.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opensearch.client.transport.OpenSearchTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and checks the two indexes: an index template per alias (settings, the derived mapping,
 * and metadata naming the embedding model and dimension), the first index behind each alias, and
 * new fields added to an existing mapping when the schemas grew. An index built with another model
 * or dimension is refused: its vectors would not be comparable with the new ones.
 */
public final class IndexAdmin {
  public static final String META_MODEL = "embedding_model";
  public static final String META_DIMENSION = "embedding_dimension";
  private static final Logger LOG = LoggerFactory.getLogger(IndexAdmin.class);
  private static final ObjectMapper JSON = AdminRequests.JSON;
  private static final String DERIVED_SOURCE = "index.knn.derived_source.enabled";

  private final AdminRequests requests;
  private final IndexNames names;

  public IndexAdmin(OpenSearchTransport transport, IndexNames names) {
    this.requests = new AdminRequests(transport);
    this.names = names;
  }

  /**
   * Index settings of both indexes.
   *
   * @param derivedSource OpenSearch 3's derived source for vectors: they are left out of the stored
   *     {@code _source} and rebuilt from the vector index when read. Off by default: with it on,
   *     OpenSearch turns every document's whole source into a map twice on the way in (to strip the
   *     vector and to write the stored field), 38% of its write threads' time in a profile of agent-vector
   *     indexing; off, that indexing ran 1,468-1,643 trajectories/s against 1,118-1,350. On, it saves disk:
   *     at 100,000 trajectories the index took 222 MB against 572 MB.
   * @param textAnalysis how a new index analyses its text fields
   */
  public record IndexSettings(int shards, int replicas, String refreshInterval, boolean derivedSource,
      VectorGraph graph, TextAnalysis textAnalysis) {
    public IndexSettings(int shards, int replicas, String refreshInterval, boolean derivedSource) {
      this(shards, replicas, refreshInterval, derivedSource, VectorGraph.DEFAULT);
    }

    public IndexSettings(int shards, int replicas, String refreshInterval, boolean derivedSource, VectorGraph graph) {
      this(shards, replicas, refreshInterval, derivedSource, graph, TextAnalysis.DEFAULT);
    }

    public static IndexSettings defaults() {
      return new IndexSettings(1, 0, "500ms", false);
    }
  }

  /**
   * Makes both aliases ready for a model of {@code dimension}: creates what is missing, adds new
   * fields, and refuses an index made for another model or dimension.
   *
   * @throws IllegalStateException naming the index, what it was built with and what to do
   */
  public void ensure(String model, int dimension, IndexSettings settings, TrajectoryDocuments documents) {
    ensure(names.trajectories(), documents.trajectoryProperties(dimension, settings.graph()), model, dimension,
        settings);
    ensure(names.steps(), documents.stepProperties(dimension, settings.graph()), model, dimension, settings);
  }

  /** Checks, without changing anything, that both aliases exist and were built for this model. */
  public void verify(String model, int dimension) {
    for (String alias : new String[] {names.trajectories(), names.steps()}) {
      requireAlias(requests, alias);
      checkModel(alias, model, dimension);
    }
  }

  /** Refuses an alias the indexer has not made (yet, or under this index.prefix). */
  static void requireAlias(AdminRequests requests, String alias) {
    if (!requests.exists("/_alias/" + alias)) {
      throw new IllegalStateException("index alias " + alias + " does not exist; start the indexer "
          + "(trajlake run indexer) once to create it, or check index.prefix");
    }
  }

  private void ensure(String alias, Map<String, Object> properties, String model, int dimension, IndexSettings settings) {
    Map<String, Object> mappings = new LinkedHashMap<>();
    // Fields the schemas do not name stay in _source but are not indexed: the mapping grows only
    // from the schemas, never from a stray document.
    mappings.put("dynamic", false);
    mappings.put("_meta", Map.of(META_MODEL, model, META_DIMENSION, dimension));
    mappings.put("properties", properties);
    Map<String, Object> template = Map.of(
        "index_patterns", java.util.List.of(alias + "-*"),
        "template", Map.of("settings", Map.of("index", indexSettings(settings)), "mappings", mappings),
        "_meta", Map.of(META_MODEL, model, META_DIMENSION, dimension));
    if (requests.exists("/_alias/" + alias)) {
      checkModel(alias, model, dimension);
      TextAnalysis live = textAnalysis(alias);
      if (live != settings.textAnalysis()) {
        // Analysis settings of an open index cannot change, and its documents were inverted by the old one.
        LOG.warn("index {} analyses its text as {} (made so), not as {} (index.text.analysis); new indexes under "
            + "its template will. `trajlake reindex` rebuilds it with the configured analysis while this runs.",
            alias, live.settingValue(), settings.textAnalysis().settingValue());
      }
      requests.send("PUT", "/_index_template/" + IndexNames.templateOf(alias), template);
      // New optional fields of a newer schema reach the live index too; a changed type is refused by
      // OpenSearch. The vector field is left as it was built: its graph parameters cannot change in place.
      Map<String, Object> added = new LinkedHashMap<>(properties);
      added.remove(TrajectoryDocuments.EMBEDDING);
      requests.send("PUT", "/" + alias + "/_mapping", Map.of("properties", added));
    } else {
      requests.send("PUT", "/_index_template/" + IndexNames.templateOf(alias), template);
      requests.send("PUT", "/" + IndexNames.firstIndexOf(alias),
          Map.of("aliases", Map.of(alias, Map.of("is_write_index", true))));
    }
  }

  /** The {@code index} settings of a new index. */
  static Map<String, Object> indexSettings(IndexSettings settings) {
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("number_of_shards", settings.shards());
    index.put("number_of_replicas", settings.replicas());
    index.put("refresh_interval", settings.refreshInterval());
    index.put("knn", true);
    index.put("knn.derived_source.enabled", settings.derivedSource());
    Map<String, Object> analysis = settings.textAnalysis().indexSettings();
    if (!analysis.isEmpty()) {
      index.put("analysis", analysis);
    }
    return index;
  }

  /**
   * Deletes what {@link #ensure} made: every index behind both aliases, and both index templates. For
   * indexes made for a while under a prefix of their own (a benchmark's); a template left behind
   * would stay in the cluster state and shape any later index matching its pattern.
   */
  public void deleteAll() {
    for (String alias : new String[] {names.trajectories(), names.steps()}) {
      if (requests.exists("/_alias/" + alias)) {
        for (String index : requests.get("/_alias/" + alias).keySet()) {
          requests.send("DELETE", "/" + index, null);
        }
      }
      if (requests.exists("/_index_template/" + IndexNames.templateOf(alias))) {
        requests.send("DELETE", "/_index_template/" + IndexNames.templateOf(alias), null);
      }
    }
  }

  /**
   * The bulk encoding both aliases' indexes take: Smile, or JSON where any of them has derived
   * source on. Read from the live indexes, since an existing index keeps the settings it was made with.
   */
  public BulkFormat bulkFormat() {
    for (String alias : new String[] {names.trajectories(), names.steps()}) {
      JsonNode indexes = JSON.valueToTree(requests.get("/" + alias + "/_settings/" + DERIVED_SOURCE
          + "?flat_settings=true&include_defaults=true"));
      for (JsonNode index : indexes) {
        if (derivedSource(index)) {
          return BulkFormat.JSON;
        }
      }
    }
    return BulkFormat.SMILE;
  }

  /** How the indexes behind {@code alias} analyse text: code only where every one of them was made so. */
  public TextAnalysis textAnalysis(String alias) {
    // With a setting every index has: an index lacking every asked setting is left out of the answer.
    JsonNode indexes = JSON.valueToTree(requests.get("/" + alias + "/_settings/index.number_of_shards," + TextAnalysis.CODE_MARKER
        + "?flat_settings=true"));
    for (JsonNode index : indexes) {
      if (textAnalysis(index) == TextAnalysis.STANDARD) {
        return TextAnalysis.STANDARD;
      }
    }
    return TextAnalysis.CODE;
  }

  /** How one index of a flat {@code _settings} answer analyses text. */
  static TextAnalysis textAnalysis(JsonNode index) {
    return index.path("settings").has(TextAnalysis.CODE_MARKER) ? TextAnalysis.CODE : TextAnalysis.STANDARD;
  }

  /**
   * Whether one index of a flat {@code _settings} answer with {@code include_defaults} has derived source on:
   * an index made elsewhere may not set it, and OpenSearch 3 turns it on by default.
   */
  static boolean derivedSource(JsonNode index) {
    JsonNode value = index.path("settings").has(DERIVED_SOURCE) ? index.path("settings").path(DERIVED_SOURCE)
        : index.path("defaults").path(DERIVED_SOURCE);
    return value.asText("false").equals("true");
  }

  private void checkModel(String alias, String model, int dimension) {
    JsonNode mappings = JSON.valueToTree(requests.get("/" + alias + "/_mapping"));
    for (JsonNode index : mappings) {
      JsonNode meta = index.path("mappings").path("_meta");
      String builtWith = meta.path(META_MODEL).asText("");
      int builtDimension = meta.path(META_DIMENSION).asInt(-1);
      if (!builtWith.equals(model) || builtDimension != dimension) {
        throw new IllegalStateException("index " + alias + " holds vectors of model '" + builtWith + "' (dimension "
            + builtDimension + "), but this service embeds with '" + model + "' (dimension " + dimension
            + "). Set embedding.model=" + builtWith + ", or index the topics into a new index.prefix with a new "
            + "group.id.");
      }
    }
  }
}
