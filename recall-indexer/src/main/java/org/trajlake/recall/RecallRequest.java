package org.trajlake.recall;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.trajlake.schema.TrajectoryStatus;

/**
 * A recall of earlier trajectories: the workspace whose memory is read, what to look for, and
 * filters that every result must pass (each list filter matches any of its values; the lists
 * combine with AND). Valid by construction: the constructor throws {@link InvalidRequestException}
 * naming the field at fault.
 *
 * @param workspace the workspace to read (and, when configured, its parents)
 * @param query the text to look for; embedded for the vector leg unless {@code vector} is given
 * @param vector the query vector, or null to embed {@code query} with the index's model
 * @param agentIds only trajectories of these agents ({@code agent_id})
 * @param taskIds only these tasks ({@code task_id})
 * @param tools only trajectories that called one of these tools
 * @param statuses only these statuses (SUCCESS, FAILURE, ERROR, ABORTED, INCOMPLETE)
 * @param outcomeKinds only trajectories with an outcome of one of these kinds
 * @param tags only trajectories with one of these tags
 * @param rewardGte reward at least this, or null
 * @param rewardLte reward at most this, or null
 * @param endedFrom ended at or after this, or null
 * @param endedTo ended at or before this, or null
 * @param k how many trajectories to return, 1 to 100
 * @param mode how to rank
 */
public record RecallRequest(String workspace, String query, float[] vector, List<String> agentIds, List<String> taskIds,
    List<String> tools, List<String> statuses, List<String> outcomeKinds, List<String> tags, Double rewardGte,
    Double rewardLte, Instant endedFrom, Instant endedTo, int k, RecallMode mode) {
  public static final int DEFAULT_K = 10;

  public RecallRequest {
    workspace = Checks.workspace(workspace);
    mode = mode == null ? RecallMode.HYBRID : mode;
    vector = Checks.vector(vector);
    query = Checks.query(query, mode, vector);
    agentIds = Checks.values("filters.agent_id", agentIds);
    taskIds = Checks.values("filters.task_id", taskIds);
    tools = Checks.values("filters.tools", tools);
    statuses = statuses(Checks.values("filters.status", statuses));
    outcomeKinds = Checks.values("filters.outcome_kinds", outcomeKinds);
    tags = Checks.values("filters.tags", tags);
    Checks.range("filters.reward", rewardGte, rewardLte);
    Checks.range("filters.ended_at", endedFrom, endedTo);
    k = Checks.k(k);
  }

  public static Builder builder(String workspace, String query) {
    return new Builder(workspace, query);
  }

  @Override
  public float[] vector() {
    return vector == null ? null : vector.clone();
  }

  private static List<String> statuses(List<String> values) {
    List<String> statuses = new ArrayList<>();
    for (String value : values) {
      String status = value.trim().toUpperCase(Locale.ROOT);
      try {
        TrajectoryStatus.valueOf(status);
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException("filters.status", "unknown status '" + value + "'; use one of "
            + List.of(TrajectoryStatus.values()));
      }
      statuses.add(status);
    }
    return List.copyOf(statuses);
  }

  /** Builds a request; unset filters are off, k is 10 and the mode hybrid. */
  public static final class Builder {
    private final String workspace;
    private final String query;
    private float[] vector;
    private List<String> agentIds = List.of();
    private List<String> taskIds = List.of();
    private List<String> tools = List.of();
    private List<String> statuses = List.of();
    private List<String> outcomeKinds = List.of();
    private List<String> tags = List.of();
    private Double rewardGte;
    private Double rewardLte;
    private Instant endedFrom;
    private Instant endedTo;
    private int k = DEFAULT_K;
    private RecallMode mode = RecallMode.HYBRID;

    private Builder(String workspace, String query) {
      this.workspace = workspace;
      this.query = query;
    }

    public Builder vector(float[] vector) {
      this.vector = vector;
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

    public Builder tools(List<String> tools) {
      this.tools = tools;
      return this;
    }

    public Builder statuses(List<String> statuses) {
      this.statuses = statuses;
      return this;
    }

    public Builder outcomeKinds(List<String> outcomeKinds) {
      this.outcomeKinds = outcomeKinds;
      return this;
    }

    public Builder tags(List<String> tags) {
      this.tags = tags;
      return this;
    }

    /** Reward within [gte, lte]; either bound may be null. */
    public Builder reward(Double gte, Double lte) {
      this.rewardGte = gte;
      this.rewardLte = lte;
      return this;
    }

    /** Ended within [from, to]; either bound may be null. */
    public Builder endedBetween(Instant from, Instant to) {
      this.endedFrom = from;
      this.endedTo = to;
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
    public RecallRequest build() {
      return new RecallRequest(workspace, query, vector, agentIds, taskIds, tools, statuses, outcomeKinds, tags,
          rewardGte, rewardLte, endedFrom, endedTo, k, mode);
    }
  }
}
