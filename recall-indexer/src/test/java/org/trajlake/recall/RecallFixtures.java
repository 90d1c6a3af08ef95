package org.trajlake.recall;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.transport.OpenSearchTransport;
import org.trajlake.recall.embed.CachingEmbedder;
import org.trajlake.recall.embed.Embedder;
import org.trajlake.recall.embed.OnnxEmbedder;
import org.trajlake.recall.index.BulkFormat;
import org.trajlake.recall.index.DocumentWriter;
import org.trajlake.recall.index.IndexAdmin;
import org.trajlake.recall.index.IndexNames;
import org.trajlake.recall.index.IndexedTrajectory;
import org.trajlake.recall.index.OpenSearchClients;
import org.trajlake.recall.index.OpenSearchSettings;
import org.trajlake.recall.index.TextAnalysis;
import org.trajlake.recall.index.TrajectoryDocuments;
import org.trajlake.recall.index.VectorGraph;
import org.trajlake.runtime.Settings;
import org.trajlake.schema.LabelStatus;
import org.trajlake.schema.Outcome;
import org.trajlake.schema.RewardedTrajectory;
import org.trajlake.schema.Step;
import org.trajlake.schema.StepKind;
import org.trajlake.schema.ToolCall;
import org.trajlake.schema.ToolResult;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.TrajectoryStatus;

/**
 * Recall test fixtures: fresh indexes under a unique prefix on the test cluster, filled through the
 * indexer's own {@link DocumentWriter}, and trajectories written the way agents produce them.
 */
public final class RecallFixtures {
  public static final Instant DAY_1 = Instant.parse("2026-11-01T10:00:00Z");
  private static Embedder embedder;

  private RecallFixtures() {}

  /** The model every recall test shares: loading it takes a second or two. */
  public static synchronized Embedder embedder() {
    if (embedder == null) {
      embedder = new CachingEmbedder(OnnxEmbedder.load(OnnxEmbedder.DEFAULT_MODEL, 2), 1000);
    }
    return embedder;
  }

  /** Fresh indexes under a prefix of their own. */
  public static final class TestIndex implements AutoCloseable {
    private final String url;
    private final IndexNames names;
    private final OpenSearchTransport transport;
    private final BulkFormat format;

    public TestIndex(String openSearchUrl, String name) {
      this(openSearchUrl, name, TextAnalysis.DEFAULT);
    }

    /** Fresh indexes whose text fields are analysed by {@code analysis}. */
    public TestIndex(String openSearchUrl, String name, TextAnalysis analysis) {
      this.url = openSearchUrl;
      this.names = new IndexNames("it-" + name + "-" + System.nanoTime() + "-");
      this.transport = OpenSearchClients.transport(new OpenSearchSettings.Connection(openSearchUrl, "", "", names.prefix()));
      IndexAdmin admin = new IndexAdmin(transport, names);
      admin.ensure(embedder().model(), embedder().dimension(), new IndexAdmin.IndexSettings(1, 0, "1s", false,
          VectorGraph.DEFAULT, analysis), new TrajectoryDocuments(32));
      this.format = admin.bulkFormat();
    }

    public IndexNames names() {
      return names;
    }

    public OpenSearchTransport transport() {
      return transport;
    }

    public OpenSearchClient client() {
      return OpenSearchClients.client(transport);
    }

    /** Indexes trajectories (rewarded or not) with their tool calls, embedded, and makes them searchable. */
    public void write(List<?> trajectories) {
      TrajectoryDocuments documents = new TrajectoryDocuments(32);
      List<IndexedTrajectory> indexed = new ArrayList<>();
      for (Object trajectory : trajectories) {
        indexed.add(trajectory instanceof RewardedTrajectory r ? documents.of(r) : documents.of((Trajectory) trajectory));
      }
      try {
        DocumentWriter.Result result = new DocumentWriter(client(), names, embedder(), true, format).write(indexed);
        for (List<DocumentWriter.ItemResult> items : result.perTrajectory()) {
          for (DocumentWriter.ItemResult item : items) {
            if (!item.ok()) {
              throw new IllegalStateException("fixture not indexed: " + item);
            }
          }
        }
        client().indices().refresh(r -> r.index(names.trajectories(), names.steps()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Recall settings for these indexes: port 0, and {@code extra} on top. */
    public Settings settings(Map<String, String> extra) {
      Map<String, String> values = new HashMap<>();
      values.put(OpenSearchSettings.URL, url);
      values.put(OpenSearchSettings.INDEX_PREFIX, names.prefix());
      values.put(RecallConfig.PORT, "0");
      values.putAll(extra);
      return Settings.of(values);
    }

    public RecallConfig config(Map<String, String> extra) {
      return RecallConfig.from(settings(extra));
    }

    /** A recall service on these indexes. */
    public RecallService service(Map<String, String> extra) {
      return new RecallService(transport, names, embedder(), config(extra));
    }

    @Override
    public void close() throws IOException {
      transport.close();
    }
  }

  /** Builds a trajectory: the task as first observation, a thought, then tool calls with their results, then END. */
  public static final class TrajectoryBuilder {
    private final String id;
    private final String workspace;
    private final String task;
    private final List<String[]> calls = new ArrayList<>();
    private TrajectoryStatus status = TrajectoryStatus.SUCCESS;
    private Instant start = DAY_1;
    private List<String> tags = List.of();
    private String agent = "coder@1";
    private List<Float> vector;

    private TrajectoryBuilder(String id, String workspace, String task) {
      this.id = id;
      this.workspace = workspace;
      this.task = task;
    }

    public TrajectoryBuilder call(String tool, String arguments, String output, boolean isError) {
      calls.add(new String[] {tool, arguments, output, Boolean.toString(isError)});
      return this;
    }

    public TrajectoryBuilder status(TrajectoryStatus status) {
      this.status = status;
      return this;
    }

    public TrajectoryBuilder startedAt(Instant start) {
      this.start = start;
      return this;
    }

    public TrajectoryBuilder tags(String... tags) {
      this.tags = List.of(tags);
      return this;
    }

    public TrajectoryBuilder agent(String agent) {
      this.agent = agent;
      return this;
    }

    /** The agent's own vector, sent on the END step. */
    public TrajectoryBuilder vector(float[] vector) {
      List<Float> values = new ArrayList<>();
      for (float value : vector) {
        values.add(value);
      }
      this.vector = values;
      return this;
    }

    public Trajectory build() {
      List<Step> steps = new ArrayList<>();
      steps.add(step(0, StepKind.OBSERVATION, task).build());
      steps.add(step(1, StepKind.THOUGHT, "Reproduce it first, then change as little as possible.").build());
      for (String[] call : calls) {
        int seq = steps.size();
        String callId = "c" + seq;
        steps.add(step(seq, StepKind.TOOL_CALL, "")
            .setToolCall(ToolCall.newBuilder().setName(call[0]).setCallId(callId).setArguments(call[1]).build()).build());
        steps.add(step(seq + 1, StepKind.TOOL_RESULT, "")
            .setToolResult(ToolResult.newBuilder().setCallId(callId).setOutput(call[2]).setIsError(Boolean.parseBoolean(call[3])).build())
            .build());
      }
      steps.add(step(steps.size(), StepKind.END, "Done.").build());
      Instant end = start.plusSeconds(steps.size());
      return Trajectory.newBuilder()
          .setTrajectoryId(id).setWorkspace(workspace).setAgentId(agent).setTaskId("task-" + id)
          .setStatus(status).setStartedAt(start).setEndedAt(end).setSteps(steps)
          .setTags(tags).setAttributes(Map.of()).setVersion(1).setEmbedding(vector)
          .setAssembledAt(end.plusSeconds(1)).build();
    }

    private Step.Builder step(int seq, StepKind kind, String content) {
      return Step.newBuilder().setEventId(id + "-" + seq).setSeq(seq).setTs(start.plusSeconds(seq)).setKind(kind)
          .setContent(content).setAttributes(Map.of());
    }
  }

  public static TrajectoryBuilder trajectory(String id, String workspace, String task) {
    return new TrajectoryBuilder(id, workspace, task);
  }

  /** The trajectory rewarded by one outcome of {@code kind}. */
  public static RewardedTrajectory rewarded(Trajectory trajectory, double reward, String kind) {
    Outcome outcome = Outcome.newBuilder().setOutcomeId(trajectory.getTrajectoryId() + "-" + kind)
        .setTrajectoryId(trajectory.getTrajectoryId()).setWorkspace(trajectory.getWorkspace()).setKind(kind)
        .setValue(reward).setTs(trajectory.getEndedAt().plusSeconds(60)).setSource("ci").setAttributes(Map.of()).build();
    return RewardedTrajectory.newBuilder().setTrajectory(trajectory).setOutcomes(List.of(outcome)).setReward(reward)
        .setRewardComponents(Map.of(kind, reward)).setLabelStatus(LabelStatus.LABELED).setRewardSpec("default@00000000")
        .setVersion(1).setRewardedAt(trajectory.getEndedAt().plusSeconds(61)).build();
  }
}
