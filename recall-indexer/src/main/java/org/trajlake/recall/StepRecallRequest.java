package org.trajlake.recall;

import java.time.Instant;
import java.util.List;

/**
 * A recall of earlier tool calls (each with its result): what happened the last times a tool was
 * called with similar arguments. Valid by construction, like {@link RecallRequest}.
 *
 * @param workspace the workspace to read (and, when configured, its parents)
 * @param query the text to look for in tool arguments and outputs
 * @param vector the query vector, or null to embed {@code query}
 * @param tools only calls of these tools
 * @param isError only calls whose result was (true) or was not (false) an error; null for both
 * @param agentIds only calls made by these agents
 * @param taskIds only calls made for these tasks
 * @param from called at or after this, or null
 * @param to called at or before this, or null
 * @param k how many calls to return, 1 to 100
 * @param mode how to rank
 */
public record StepRecallRequest(String workspace, String query, float[] vector, List<String> tools, Boolean isError,
    List<String> agentIds, List<String> taskIds, Instant from, Instant to, int k, RecallMode mode) {

  public StepRecallRequest {
    workspace = Checks.workspace(workspace);
    mode = mode == null ? RecallMode.HYBRID : mode;
    vector = Checks.vector(vector);
    query = Checks.query(query, mode, vector);
    tools = Checks.values("filters.tools", tools);
    agentIds = Checks.values("filters.agent_id", agentIds);
    taskIds = Checks.values("filters.task_id", taskIds);
    Checks.range("filters.ts", from, to);
    k = Checks.k(k);
  }

  public static Builder builder(String workspace, String query) {
    return new Builder(workspace, query);
  }

  @Override
  public float[] vector() {
    return vector == null ? null : vector.clone();
  }

  /** Builds a request; unset filters are off, k is 10 and the mode hybrid. */
  public static final class Builder {
    private final String workspace;
    private final String query;
    private float[] vector;
    private List<String> tools = List.of();
    private Boolean isError;
    private List<String> agentIds = List.of();
    private List<String> taskIds = List.of();
    private Instant from;
    private Instant to;
    private int k = RecallRequest.DEFAULT_K;
    private RecallMode mode = RecallMode.HYBRID;

    private Builder(String workspace, String query) {
      this.workspace = workspace;
      this.query = query;
    }

    public Builder vector(float[] vector) {
      this.vector = vector;
      return this;
    }

    public Builder tools(List<String> tools) {
      this.tools = tools;
      return this;
    }

    public Builder isError(Boolean isError) {
      this.isError = isError;
      return this;
    }

    public Builder agentIds(List<String> agentIds) {
      this.agentIds = agentIds;
      return this;
    }

    public Builder taskIds(List<String> taskIds) {
      this.taskIds = taskIds;
      return this;
    }

    public Builder between(Instant from, Instant to) {
      this.from = from;
      this.to = to;
      return this;
    }

    public Builder k(int k) {
      this.k = k;
      return this;
    }

    public Builder mode(RecallMode mode) {
      this.mode = mode;
      return this;
    }

    /** @throws InvalidRequestException naming the field at fault */
    public StepRecallRequest build() {
      return new StepRecallRequest(workspace, query, vector, tools, isError, agentIds, taskIds, from, to, k, mode);
    }
  }
}
