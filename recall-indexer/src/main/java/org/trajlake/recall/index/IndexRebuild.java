package org.trajlake.recall.index;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opensearch.client.transport.OpenSearchTransport;

/**
 * Rebuilds the index behind an alias with the configured settings, and swaps it in while the indexer
 * writes and recall reads. Some settings of an index cannot change once it is made (its text analysis,
 * its shards, its vector graph), so a new index is made under the alias's template, filled with
 * {@code _reindex}, and put behind the alias in one atomic alias change.
 *
 * <p>Nothing is lost and nothing goes back in time:
 * <ul>
 *   <li>documents are copied with their versions ({@code version_type: external}), so the new index
 *       keeps the newest version of each, as the indexer's own writes do;</li>
 *   <li>before the copy, each old index's highest sequence number is noted and the index refreshed, so
 *       the copy sees every write up to that point; writes that reach the old index after it (the
 *       indexer keeps writing through the alias) are copied again by sequence number once the alias
 *       points at the new index and the old one has stopped receiving them;</li>
 *   <li>the old index is deleted only when the new one holds at least as many documents.</li>
 * </ul>
 * Recall reads the old index until the swap and the new one after it. The vectors are copied as they
 * are, so the embedding model cannot change this way: that needs them embedded again, from the topics.
 */
public final class IndexRebuild {
  /** Documents per scroll batch of the copy. */
  private static final int BATCH = 500;
  /** How often a running copy is asked how far it got. */
  private static final Duration POLL = Duration.ofMillis(250);
  /**
   * How long an old index must go without a write before its catch-up: bulk requests that resolved the alias
   * before the swap land in it for a while after (the indexer's take a few hundred milliseconds).
   */
  private static final Duration QUIET = Duration.ofSeconds(1);
  /** Quiet periods waited for before giving up. */
  private static final int QUIET_TRIES = 30;
  private static final Pattern GENERATION = Pattern.compile("-(\\d+)$");

  private final AdminRequests requests;
  private final IndexNames names;
  private final IndexAdmin.IndexSettings settings;
  private final String model;
  /** Set from another thread (a shutdown hook) to stop a rebuild whose copy still runs. */
  private volatile boolean stopRequested;

  /**
   * @param settings the settings the new indexes get (the indexer's {@code index.*} keys)
   * @param model the embedding model the configuration names; an index of another is refused
   */
  public IndexRebuild(OpenSearchTransport transport, IndexNames names, IndexAdmin.IndexSettings settings,
      String model) {
    this.requests = new AdminRequests(transport);
    this.names = names;
    this.settings = settings;
    this.model = model;
  }

  /**
   * What a rebuild of one alias would do.
   *
   * @param from the indexes behind the alias now
   * @param to the index the rebuild would make
   * @param changes each setting that differs from the configured one
   * @param strays indexes under the alias's name pattern but not behind it: left by an interrupted rebuild
   *     or kept by one
   */
  public record Plan(String alias, List<String> from, String to, long documents, List<Change> changes,
      List<String> strays) {
    public boolean needed() {
      return !changes.isEmpty();
    }
  }

  /** A setting of the live index that differs from the configured one: "text analysis standard -> code". */
  public record Change(String setting, String live, String configured) {
    public static final String TEXT_ANALYSIS = "text analysis";
    public static final String SHARDS = "shards";
    public static final String DERIVED_SOURCE = "knn derived source";
    public static final String HNSW_M = "HNSW m";
    public static final String HNSW_EF_CONSTRUCTION = "HNSW ef_construction";

    @Override
    public String toString() {
      return setting + " " + live + " -> " + configured;
    }
  }

  /** What a rebuild is doing: the copy, or the catch-up after the swap. */
  public enum Phase {
    COPY, CATCH_UP;

    @Override
    public String toString() {
      return this == COPY ? "copy" : "catch-up";
    }
  }

  /** Where a rebuild is: {@code done} of {@code total} documents of its phase. */
  public record Progress(String alias, Phase phase, long done, long total) {}

  /**
   * @param copied documents the copy wrote, in {@code copyTook}; {@code conflicts} it found already there at
   *     that version or newer
   * @param caughtUp documents written to the old index during the copy and copied after the swap
   * @param documents documents behind the alias after it
   * @param oldDeleted whether the old indexes were deleted
   */
  public record Result(Plan plan, long copied, long conflicts, Duration copyTook, long caughtUp, long documents,
      Duration took, boolean oldDeleted) {}

  /** The plans for both aliases, trajectories first. */
  public List<Plan> plans() {
    return List.of(plan(names.trajectories()), plan(names.steps()));
  }

  /**
   * @throws IllegalStateException when the alias does not exist, or holds vectors of another model
   */
  public Plan plan(String alias) {
    IndexAdmin.requireAlias(requests, alias);
    List<String> from = new ArrayList<>(requests.get("/_alias/" + alias).keySet());
    from.sort(null);
    List<String> strays = new ArrayList<>(requests.get("/" + alias + "-*/_alias").keySet());
    strays.removeAll(from);
    strays.sort(null);
    int generation = 0;
    for (String index : concat(from, strays)) {
      Matcher m = GENERATION.matcher(index);
      if (m.find()) {
        generation = Math.max(generation, Integer.parseInt(m.group(1)));
      }
    }
    return new Plan(alias, List.copyOf(from), nextIndex(alias, generation), count(alias), changes(alias), strays);
  }

  /** The index after generation {@code generation} of {@code alias}: {@code <alias>-000002} after 1. */
  static String nextIndex(String alias, int generation) {
    return String.format("%s-%06d", alias, generation + 1);
  }

  private List<Change> changes(String alias) {
    Set<Change> changes = new LinkedHashSet<>();
    JsonNode indexSettings = requests.getTree("/" + alias + "/_settings?flat_settings=true&include_defaults=true");
    for (JsonNode index : indexSettings) {
      change(changes, Change.TEXT_ANALYSIS, IndexAdmin.textAnalysis(index).settingValue(),
          settings.textAnalysis().settingValue());
      change(changes, Change.SHARDS, index.path("settings").path("index.number_of_shards").asText(),
          Integer.toString(settings.shards()));
      change(changes, Change.DERIVED_SOURCE, Boolean.toString(IndexAdmin.derivedSource(index)),
          Boolean.toString(settings.derivedSource()));
    }
    JsonNode mappings = requests.getTree("/" + alias + "/_mapping");
    for (JsonNode index : mappings) {
      JsonNode mapping = index.path("mappings");
      String builtWith = mapping.path("_meta").path(IndexAdmin.META_MODEL).asText("");
      if (!builtWith.equals(model)) {
        throw new IllegalStateException("index " + alias + " holds vectors of model '" + builtWith
            + "', but embedding.model is '" + model + "'. A rebuild copies the vectors as they are; to change the "
            + "model, index into a new index.prefix from the topics so every text is embedded again.");
      }
      JsonNode graph = mapping.path("properties").path(TrajectoryDocuments.EMBEDDING).path("method").path("parameters");
      change(changes, Change.HNSW_M, graph.path("m").asText("unset"), Integer.toString(settings.graph().m()));
      change(changes, Change.HNSW_EF_CONSTRUCTION, graph.path("ef_construction").asText("unset"),
          Integer.toString(settings.graph().efConstruction()));
    }
    return List.copyOf(changes);
  }

  private static void change(Set<Change> changes, String setting, String live, String configured) {
    if (!live.equals(configured)) {
      changes.add(new Change(setting, live, configured));
    }
  }

  /**
   * Rebuilds {@code plan}'s alias into {@code plan.to()} and swaps it in.
   *
   * @param keepOld leave the old indexes (outside the alias) instead of deleting them
   * @throws IllegalStateException when the copy fails: the new index is then deleted and the alias left as it was
   */
  public Result rebuild(Plan plan, boolean keepOld, Consumer<Progress> progress) {
    return rebuild(plan, keepOld, 0, progress);
  }

  /**
   * Asks the running rebuild, from another thread, to stop. While its copy runs, the copy is cancelled, the
   * new index deleted and the alias left where it was: {@link #rebuild} then throws {@link Stopped}. Once the
   * alias has moved the rebuild goes on to the end, since the catch-up brings the writes the old index received
   * during the copy to the index recall now reads.
   */
  public void stop() {
    stopRequested = true;
  }

  /** Thrown by {@link #rebuild} stopped during its copy: nothing changed but the alias's template. */
  public static final class Stopped extends IllegalStateException {
    Stopped(String message) {
      super(message);
    }
  }

  /**
   * As {@link #rebuild(Plan, boolean, Consumer)}, the copy held to about {@code docsPerSecond} documents a
   * second ({@code _reindex}'s {@code requests_per_second}; 0 for as fast as the node goes), so recall beside
   * it keeps its latency. The catch-up after the swap is not held back.
   */
  public Result rebuild(Plan plan, boolean keepOld, float docsPerSecond, Consumer<Progress> progress) {
    long started = System.nanoTime();
    if (stopRequested) {
      throw new Stopped("stopped before " + plan.alias() + " was rebuilt; it still points at "
          + String.join(", ", plan.from()));
    }
    updateTemplate(plan.alias());
    Map<String, Long> checkpoints = new LinkedHashMap<>();
    for (String index : plan.from()) {
      checkpoints.put(index, checkpoint(index));
    }
    refresh(plan.from());
    // The template gives the rest; no refresh while the copy fills it (nothing reads it yet).
    requests.send("PUT", "/" + plan.to(), Map.of("settings", Map.of("index", Map.of("refresh_interval", "-1"))));
    Copied copied;
    long copyStarted = System.nanoTime();
    try {
      copied = copy(plan.alias(), plan.from(), plan.to(), null, docsPerSecond, Phase.COPY, progress);
    } catch (RuntimeException e) {
      requests.send("DELETE", "/" + plan.to(), null);
      throw e;
    }
    Duration copyTook = Duration.ofNanos(System.nanoTime() - copyStarted);
    requests.send("PUT", "/" + plan.to() + "/_settings",
        Map.of("index", Map.of("refresh_interval", settings.refreshInterval())));
    refresh(List.of(plan.to()));
    swap(plan);
    long caughtUp = 0;
    for (String index : plan.from()) {
      awaitNoWrites(index);
      refresh(List.of(index));
      Map<String, Object> since = Map.of("range", Map.of("_seq_no", Map.of("gt", checkpoints.get(index))));
      try {
        caughtUp += copy(plan.alias(), List.of(index), plan.to(), since, 0, Phase.CATCH_UP, progress).written();
      } catch (RuntimeException e) {
        // The alias has moved: say how to finish by hand rather than leave writes only in an index nothing reads.
        throw new IllegalStateException(e.getMessage() + ". " + plan.alias() + " already points at " + plan.to()
            + "; " + index + " is kept and still holds the writes made during the copy. Copy them with POST "
            + "_reindex {\"source\":{\"index\":\"" + index + "\",\"query\":" + AdminRequests.json(since)
            + "},\"dest\":{\"index\":\"" + plan.to() + "\",\"version_type\":\"external\"},"
            + "\"conflicts\":\"proceed\"}", e);
      }
    }
    refresh(List.of(plan.to()));
    long before = count(String.join(",", plan.from()));
    long after = count(plan.to());
    if (after < before) {
      throw new IllegalStateException(plan.alias() + " now points at " + plan.to() + ", which holds " + after
          + " documents against " + before + " in " + plan.from() + "; the old indexes were kept");
    }
    if (!keepOld) {
      for (String index : plan.from()) {
        requests.send("DELETE", "/" + index, null);
      }
    }
    return new Result(plan, copied.written(), copied.conflicts(), copyTook, caughtUp, after,
        Duration.ofNanos(System.nanoTime() - started), !keepOld);
  }

  /** The alias's template with the configured settings and graph; its mapping and model stay. */
  @SuppressWarnings("unchecked")
  private void updateTemplate(String alias) {
    String path = "/_index_template/" + IndexNames.templateOf(alias);
    if (!requests.exists(path)) {
      throw new IllegalStateException("index template " + IndexNames.templateOf(alias) + " does not exist; start the "
          + "indexer (trajlake run indexer) once to create it");
    }
    List<Map<String, Object>> found = (List<Map<String, Object>>) requests.get(path).get("index_templates");
    Map<String, Object> template = (Map<String, Object>) found.get(0).get("index_template");
    Map<String, Object> body = (Map<String, Object>) template.get("template");
    body.put("settings", Map.of("index", IndexAdmin.indexSettings(settings)));
    Map<String, Object> properties = (Map<String, Object>) ((Map<String, Object>) body.get("mappings")).get("properties");
    Map<String, Object> vector = new LinkedHashMap<>((Map<String, Object>) properties.get(TrajectoryDocuments.EMBEDDING));
    Object dimension = vector.get("dimension");
    properties.put(TrajectoryDocuments.EMBEDDING,
        TrajectoryDocuments.vectorMapping(((Number) dimension).intValue(), settings.graph()));
    requests.send("PUT", path, template);
  }

  /** What one {@code _reindex} wrote, and found already there at its version or a newer one. */
  private record Copied(long written, long conflicts) {}

  private Copied copy(String alias, List<String> from, String to, Map<String, Object> query, float docsPerSecond,
      Phase phase, Consumer<Progress> progress) {
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("index", from);
    source.put("size", BATCH);
    if (query != null) {
      source.put("query", query);
    }
    Map<String, Object> body = Map.of("source", source, "dest", Map.of("index", to, "version_type", "external"),
        "conflicts", "proceed");
    String throttle = docsPerSecond > 0 ? "&requests_per_second=" + docsPerSecond : "";
    String task = (String) requests.send("POST", "/_reindex?wait_for_completion=false" + throttle, body).get("task");
    while (true) {
      JsonNode answer = requests.getTree("/_tasks/" + task);
      JsonNode status = answer.path("task").path("status");
      long written = status.path("created").asLong() + status.path("updated").asLong();
      long conflicts = status.path("version_conflicts").asLong();
      progress.accept(new Progress(alias, phase, written + conflicts, status.path("total").asLong()));
      if (answer.path("completed").asBoolean()) {
        forget(task);
        requireNoFailures(alias, phase, answer);
        return new Copied(written, conflicts);
      }
      if (phase == Phase.COPY && stopRequested) {
        cancel(task);
        throw new Stopped(String.format("stopped: the copy of %s was cancelled at %,d of %,d documents and %s "
            + "deleted; %s still points at %s", alias, written + conflicts, status.path("total").asLong(), to, alias,
            String.join(", ", from)));
      }
      pause(task);
    }
  }

  /**
   * Cancels a running {@code _reindex} and waits until it has stopped: a batch still being written after the new
   * index is deleted would make it again, from the template, as a stray.
   */
  private void cancel(String task) {
    requests.send("POST", "/_tasks/" + task + "/_cancel", null);
    for (int i = 0; i < 120 && !requests.getTree("/_tasks/" + task).path("completed").asBoolean(); i++) {
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    forget(task);
  }

  private static void requireNoFailures(String alias, Phase phase, JsonNode answer) {
    if (answer.has("error")) {
      throw new IllegalStateException(phase + " of " + alias + " failed: " + answer.path("error"));
    }
    Iterator<JsonNode> failures = answer.path("response").path("failures").elements();
    if (failures.hasNext()) {
      JsonNode first = failures.next();
      throw new IllegalStateException(phase + " of " + alias + " failed for document " + first.path("id").asText()
          + ": " + first.path("cause").path("reason").asText(first.toString()));
    }
  }

  /** A finished task's result stays in {@code .tasks} until deleted; the rebuild has read it. */
  private void forget(String task) {
    try {
      requests.send("DELETE", "/.tasks/_doc/" + task, null);
    } catch (RuntimeException stillThere) {
      // A stored result left behind is harmless.
    }
  }

  private void pause(String task) {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      cancel(task);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted; reindex task " + task + " cancelled");
    }
  }

  private void swap(Plan plan) {
    List<Map<String, Object>> actions = new ArrayList<>();
    actions.add(Map.of("add", Map.of("index", plan.to(), "alias", plan.alias(), "is_write_index", true)));
    for (String index : plan.from()) {
      actions.add(Map.of("remove", Map.of("index", index, "alias", plan.alias())));
    }
    requests.send("POST", "/_aliases", Map.of("actions", actions));
  }

  /**
   * The sequence number up to which a copy started now is complete, once the index is refreshed: the lowest
   * of its shards' highest, so a catch-up from it may copy again what is there already, never less.
   */
  private long checkpoint(String index) {
    return seqNos(index).stream().mapToLong(Long::longValue).min().orElse(-1);
  }

  /** Waits until bulk requests that resolved the alias before the swap have landed in {@code index}. */
  private void awaitNoWrites(String index) {
    List<Long> last = seqNos(index);
    for (int i = 0; i < QUIET_TRIES; i++) {
      try {
        Thread.sleep(QUIET.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while " + index + " settled; it is kept", e);
      }
      List<Long> now = seqNos(index);
      if (now.equals(last)) {
        return;
      }
      last = now;
    }
    throw new IllegalStateException(index + " still received writes " + QUIET_TRIES * QUIET.toSeconds()
        + " s after the alias moved; "
        + "it is kept, outside the alias");
  }

  /** The highest sequence number of each shard copy of {@code index}. */
  private List<Long> seqNos(String index) {
    JsonNode shards = requests.getTree("/" + index + "/_stats/docs?level=shards").path("indices").path(index)
        .path("shards");
    List<Long> seqNos = new ArrayList<>();
    shards.fieldNames().forEachRemaining(shard -> shards.path(shard)
        .forEach(copy -> seqNos.add(copy.path("seq_no").path("max_seq_no").asLong(-1))));
    return seqNos;
  }

  private void refresh(List<String> indexes) {
    requests.send("POST", "/" + String.join(",", indexes) + "/_refresh", null);
  }

  private long count(String target) {
    return requests.getTree("/" + target + "/_count").path("count").asLong();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
