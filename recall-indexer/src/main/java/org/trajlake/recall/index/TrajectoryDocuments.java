package org.trajlake.recall.index;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;
import org.trajlake.schema.Outcome;
import org.trajlake.schema.RewardedTrajectory;
import org.trajlake.schema.Step;
import org.trajlake.schema.StepKind;
import org.trajlake.schema.ToolCall;
import org.trajlake.schema.ToolResult;
import org.trajlake.schema.Trajectory;

/**
 * Builds the documents of both indexes and their mappings, from the Avro schemas plus a few fields
 * derived for search. What gets embedded:
 *
 * <ul>
 *   <li>a trajectory: its summary, the task id and the first observation (else the first message,
 *       else the first step), cut to {@code embedding.max.words} words: a later agent recalls by
 *       what it was asked to do;
 *   <li>a tool call: the tool name and its arguments, cut the same way.
 * </ul>
 *
 * A vector the agent sent (on the END step, or on a tool-call step) is used instead when its
 * dimension is the index's.
 */
public final class TrajectoryDocuments {
  static final String EMBEDDING = "embedding";
  static final int MAX_SEARCH_TEXT_CHARS = 32_768;

  // The steps are kept in _source (recall names the steps that match a query from them) but not
  // indexed: BM25 searches their text through the one `text` field. Indexed as nested documents
  // they cost 10-20 hidden Lucene documents per trajectory to write and made every BM25 query a
  // nested join (hybrid recall p95 35 ms at 100,000 trajectories, most of it the nested BM25 leg).
  private static final AvroMappings.Rules TRAJECTORY_RULES = new AvroMappings.Rules(
      Set.of("steps.content", "steps.tool_call.arguments", "steps.tool_result.output"),
      Set.of(),
      Set.of("steps"),
      Set.of("embedding", "steps.embedding", "trajectory"),
      8_192);
  private static final AvroMappings.Rules STEP_RULES = new AvroMappings.Rules(
      Set.of("tool_call.arguments", "tool_result.output"), Set.of(), Set.of(), Set.of(), 8_192);

  private final AvroMappings trajectoryFields = new AvroMappings(TRAJECTORY_RULES);
  private final AvroMappings stepFields = new AvroMappings(STEP_RULES);
  private final int summaryWords;

  public TrajectoryDocuments(int summaryWords) {
    this.summaryWords = summaryWords;
  }

  /** The external version of a document: assembly version in the high half, rewarded version in the low. */
  public static long version(int assemblyVersion, long rewardedVersion) {
    return ((long) assemblyVersion << 32) | (rewardedVersion & 0xFFFF_FFFFL);
  }

  /** A trajectory as ingest-streams emitted it, before any reward. */
  public IndexedTrajectory of(Trajectory trajectory) {
    return build(trajectory, Optional.empty());
  }

  /** A trajectory with its outcomes and reward. */
  public IndexedTrajectory of(RewardedTrajectory rewarded) {
    return build(rewarded.getTrajectory(), Optional.of(rewarded));
  }

  private IndexedTrajectory build(Trajectory trajectory, Optional<RewardedTrajectory> rewarded) {
    Map<String, Object> document = trajectoryFields.document(trajectory, "");
    Set<String> tools = new LinkedHashSet<>();
    for (Step step : trajectory.getSteps()) {
      if (step.getToolCall() != null) {
        tools.add(step.getToolCall().getName());
      }
    }
    document.put("tools", List.copyOf(tools));
    document.put("step_count", trajectory.getSteps().size());
    document.put("duration_ms", trajectory.getEndedAt().toEpochMilli() - trajectory.getStartedAt().toEpochMilli());
    String summary = summary(trajectory);
    document.put("summary", summary);
    document.put("text", searchText(trajectory));
    document.put("rewarded_version", 0L);
    rewarded.ifPresent(r -> addReward(document, r));
    document.put("indexed_at", Instant.now().toEpochMilli());
    long version = version(trajectory.getVersion(), rewarded.map(RewardedTrajectory::getVersion).orElse(0L));
    return new IndexedTrajectory(trajectory.getTrajectoryId(), version, document, summary,
        toArray(trajectory.getEmbedding()), toolCalls(trajectory, document));
  }

  private void addReward(Map<String, Object> document, RewardedTrajectory rewarded) {
    // The rewarded record's own fields, through the same rules; its version is the reward version.
    Map<String, Object> reward = trajectoryFields.document(rewarded, "");
    reward.remove("version");
    document.putAll(reward);
    document.put("rewarded_version", rewarded.getVersion());
    Set<String> kinds = new LinkedHashSet<>();
    for (Outcome outcome : rewarded.getOutcomes()) {
      kinds.add(outcome.getKind());
    }
    document.put("outcome_kinds", List.copyOf(kinds));
  }

  private List<IndexedTrajectory.ToolCallDocument> toolCalls(Trajectory trajectory, Map<String, Object> parent) {
    List<IndexedTrajectory.ToolCallDocument> calls = new ArrayList<>();
    List<Step> steps = trajectory.getSteps();
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      ToolCall call = step.getToolCall();
      if (call == null) {
        continue;
      }
      Map<String, Object> document = new LinkedHashMap<>();
      for (String field : List.of("trajectory_id", "workspace", "agent_id", "task_id", "status", "tags", "version",
          "rewarded_version", "reward", "label_status", "outcome_kinds", "ended_at", "indexed_at")) {
        if (parent.containsKey(field)) {
          document.put(field, parent.get(field));
        }
      }
      document.put("seq", step.getSeq());
      document.put("ts", step.getTs().toEpochMilli());
      document.put("tool_call", stepFields.document(call, "tool_call"));
      resultOf(steps, i, call.getCallId()).ifPresent(result -> {
        document.put("tool_result", stepFields.document(result.getToolResult(), "tool_result"));
        document.put("result_seq", result.getSeq());
      });
      calls.add(new IndexedTrajectory.ToolCallDocument(trajectory.getTrajectoryId() + "#" + step.getSeq(), document,
          words(call.getName() + " " + call.getArguments()), toArray(step.getEmbedding())));
    }
    return calls;
  }

  /** The first TOOL_RESULT after step {@code index} that answers {@code callId}. */
  private static Optional<Step> resultOf(List<Step> steps, int index, String callId) {
    for (int j = index + 1; j < steps.size(); j++) {
      ToolResult result = steps.get(j).getToolResult();
      if (result != null && result.getCallId().equals(callId)) {
        return Optional.of(steps.get(j));
      }
    }
    return Optional.empty();
  }

  String summary(Trajectory trajectory) {
    Step first = null;
    for (StepKind kind : List.of(StepKind.OBSERVATION, StepKind.MESSAGE)) {
      for (Step step : trajectory.getSteps()) {
        if (step.getKind() == kind && !step.getContent().isBlank()) {
          first = step;
          break;
        }
      }
      if (first != null) {
        break;
      }
    }
    if (first == null && !trajectory.getSteps().isEmpty()) {
      first = trajectory.getSteps().get(0);
    }
    return summary(trajectory.getTaskId(), first == null ? "" : first.getContent());
  }

  /** The embedded summary of a task and its first text: {@code "<task id>: <text>"}, cut to the words kept. */
  public String summary(String taskId, String text) {
    return words((taskId == null ? "" : taskId + ": ") + text);
  }

  /** Everything BM25 should find a trajectory by: each step's text, tool, arguments and output. */
  static String searchText(Trajectory trajectory) {
    StringBuilder text = new StringBuilder();
    for (Step step : trajectory.getSteps()) {
      if (text.length() >= MAX_SEARCH_TEXT_CHARS) {
        break;
      }
      text.append(step.getContent()).append('\n');
      if (step.getToolCall() != null) {
        text.append(step.getToolCall().getName()).append(' ').append(step.getToolCall().getArguments()).append('\n');
      }
      if (step.getToolResult() != null) {
        text.append(step.getToolResult().getOutput()).append('\n');
      }
    }
    return text.length() > MAX_SEARCH_TEXT_CHARS ? text.substring(0, MAX_SEARCH_TEXT_CHARS) : text.toString();
  }

  /**
   * The first {@code summaryWords} whitespace-separated words of {@code text}, joined by one space.
   * A scan that stops at the last word kept: a regex split of every tool call's whole arguments was a
   * seventh of the indexer's CPU.
   */
  private String words(String text) {
    StringBuilder kept = new StringBuilder(Math.min(text.length(), 1024));
    int count = 0;
    int i = 0;
    while (count < summaryWords) {
      while (i < text.length() && isSpace(text.charAt(i))) {
        i++;
      }
      if (i == text.length()) {
        break;
      }
      int start = i;
      while (i < text.length() && !isSpace(text.charAt(i))) {
        i++;
      }
      if (count++ > 0) {
        kept.append(' ');
      }
      kept.append(text, start, i);
    }
    return kept.toString();
  }

  /** The whitespace of the regex {@code \s}. */
  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
  }

  private static float[] toArray(List<Float> vector) {
    if (vector == null) {
      return null;
    }
    float[] array = new float[vector.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = vector.get(i);
    }
    return array;
  }

  /** Mapping properties of the trajectories index: the Avro-derived fields and the search fields. */
  Map<String, Object> trajectoryProperties(int dimension, VectorGraph graph) {
    Map<String, Object> properties = trajectoryFields.properties(Trajectory.getClassSchema(), "");
    Map<String, Object> rewardFields = trajectoryFields.properties(RewardedTrajectory.getClassSchema(), "");
    rewardFields.remove("version");
    properties.putAll(rewardFields);
    properties.put("rewarded_version", Map.of("type", "long"));
    properties.put("tools", Map.of("type", "keyword"));
    properties.put("outcome_kinds", Map.of("type", "keyword"));
    properties.put("step_count", Map.of("type", "integer"));
    properties.put("duration_ms", Map.of("type", "long"));
    properties.put("summary", Map.of("type", "text"));
    properties.put("text", Map.of("type", "text"));
    properties.put("indexed_at", Map.of("type", "date", "format", "epoch_millis"));
    properties.put("embedding_source", Map.of("type", "keyword"));
    properties.put(EMBEDDING, vectorMapping(dimension, graph));
    return properties;
  }

  /** Mapping properties of the steps index. */
  Map<String, Object> stepProperties(int dimension, VectorGraph graph) {
    Map<String, Object> trajectory = trajectoryProperties(dimension, graph);
    Map<String, Object> properties = new LinkedHashMap<>();
    for (String field : List.of("trajectory_id", "workspace", "agent_id", "task_id", "status", "tags", "version",
        "rewarded_version", "reward", "label_status", "outcome_kinds", "ended_at", "indexed_at", "embedding_source")) {
      properties.put(field, trajectory.get(field));
    }
    Schema step = Step.getClassSchema();
    properties.put("seq", Map.of("type", "long"));
    properties.put("ts", Map.of("type", "date", "format", "epoch_millis"));
    properties.put("result_seq", Map.of("type", "long"));
    properties.put("tool_call", Map.of("type", "object",
        "properties", stepFields.properties(nonNull(step.getField("tool_call").schema()), "tool_call")));
    properties.put("tool_result", Map.of("type", "object",
        "properties", stepFields.properties(nonNull(step.getField("tool_result").schema()), "tool_result")));
    properties.put(EMBEDDING, vectorMapping(dimension, graph));
    return properties;
  }

  /** HNSW on the Lucene engine, cosine: the only k-NN engine in a Maven Central OpenSearch. */
  static Map<String, Object> vectorMapping(int dimension, VectorGraph graph) {
    return Map.of("type", "knn_vector", "dimension", dimension,
        "method", Map.of("name", "hnsw", "engine", "lucene", "space_type", "cosinesimil",
            "parameters", Map.of("m", graph.m(), "ef_construction", graph.efConstruction())));
  }

  private static Schema nonNull(Schema schema) {
    return schema.getType() == Schema.Type.UNION
        ? schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElseThrow()
        : schema;
  }
}
