package org.trajlake.recall;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.trajlake.schema.TrajectoryStatus;

/**
 * The filters every recalled trajectory or tool call must pass: each list filter matches any of its
 * values, and the filters combine with AND; an empty list or a null bound is off. A trajectory
 * recall takes the filters named in {@link #TRAJECTORY_FILTERS}, a tool-call recall those in
 * {@link #TOOL_CALL_FILTERS}. Valid by construction: the constructor throws
 * {@link InvalidRequestException} naming the JSON field at fault.
 *
 * @param agentIds only these agents ({@code agent_id})
 * @param taskIds only these tasks ({@code task_id})
 * @param tools trajectories that called one of these tools; calls of one of these tools
 * @param statuses trajectories with one of these statuses (SUCCESS, FAILURE, ERROR, ABORTED, INCOMPLETE)
 * @param outcomeKinds trajectories with an outcome of one of these kinds
 * @param tags trajectories with one of these tags
 * @param rewardGte trajectories with a reward of at least this, or null
 * @param rewardLte trajectories with a reward of at most this, or null
 * @param endedFrom trajectories that ended at or after this, or null
 * @param endedTo trajectories that ended at or before this, or null
 * @param isError calls whose result was (true) or was not (false) an error; null for both
 * @param calledFrom calls made at or after this ({@code ts}), or null
 * @param calledTo calls made at or before this, or null
 */
public record RecallFilters(List<String> agentIds, List<String> taskIds, List<String> tools, List<String> statuses,
    List<String> outcomeKinds, List<String> tags, Double rewardGte, Double rewardLte, Instant endedFrom,
    Instant endedTo, Boolean isError, Instant calledFrom, Instant calledTo) {
  /** The JSON names of the filters a trajectory recall takes. */
  public static final Set<String> TRAJECTORY_FILTERS = Set.of("agent_id", "task_id", "tools", "status",
      "outcome_kinds", "tags", "reward", "ended_at");
  /**
   * The JSON names of the filters a tool-call recall takes: the call's own, and those of the
   * trajectory it belongs to (its status, outcomes, tags, reward and end), which each tool-call
   * document carries, so an agent can ask what calls did in trajectories that went well.
   */
  public static final Set<String> TOOL_CALL_FILTERS = Set.of("agent_id", "task_id", "tools", "is_error", "ts",
      "status", "outcome_kinds", "tags", "reward", "ended_at");
  /** Every filter off. */
  public static final RecallFilters NONE = builder().build();

  public RecallFilters {
    agentIds = Checks.values("filters.agent_id", agentIds);
    taskIds = Checks.values("filters.task_id", taskIds);
    tools = Checks.values("filters.tools", tools);
    statuses = knownStatuses(Checks.values("filters.status", statuses));
    outcomeKinds = Checks.values("filters.outcome_kinds", outcomeKinds);
    tags = Checks.values("filters.tags", tags);
    Checks.range("filters.reward", rewardGte, rewardLte);
    Checks.range("filters.ended_at", endedFrom, endedTo);
    Checks.range("filters.ts", calledFrom, calledTo);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The JSON names of the filters that are on, in name order. */
  Set<String> names() {
    Set<String> on = new TreeSet<>();
    addIf(on, !agentIds.isEmpty(), "agent_id");
    addIf(on, !taskIds.isEmpty(), "task_id");
    addIf(on, !tools.isEmpty(), "tools");
    addIf(on, !statuses.isEmpty(), "status");
    addIf(on, !outcomeKinds.isEmpty(), "outcome_kinds");
    addIf(on, !tags.isEmpty(), "tags");
    addIf(on, rewardGte != null || rewardLte != null, "reward");
    addIf(on, endedFrom != null || endedTo != null, "ended_at");
    addIf(on, isError != null, "is_error");
    addIf(on, calledFrom != null || calledTo != null, "ts");
    return on;
  }

  private static void addIf(Set<String> names, boolean on, String name) {
    if (on) {
      names.add(name);
    }
  }

  /** The statuses upper-cased, as they are indexed. */
  private static List<String> knownStatuses(List<String> values) {
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

  /** Builds filters; every filter starts off. */
  public static final class Builder {
    private List<String> agentIds;
    private List<String> taskIds;
    private List<String> tools;
    private List<String> statuses;
    private List<String> outcomeKinds;
    private List<String> tags;
    private Double rewardGte;
    private Double rewardLte;
    private Instant endedFrom;
    private Instant endedTo;
    private Boolean isError;
    private Instant calledFrom;
    private Instant calledTo;

    private Builder() {}

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

    /** Trajectories ended within [from, to]; either bound may be null. */
    public Builder endedBetween(Instant from, Instant to) {
      this.endedFrom = from;
      this.endedTo = to;
      return this;
    }

    public Builder isError(Boolean isError) {
      this.isError = isError;
      return this;
    }

    /** Calls made within [from, to]; either bound may be null. */
    public Builder calledBetween(Instant from, Instant to) {
      this.calledFrom = from;
      this.calledTo = to;
      return this;
    }

    /** @throws InvalidRequestException naming the filter at fault */
    public RecallFilters build() {
      return new RecallFilters(agentIds, taskIds, tools, statuses, outcomeKinds, tags, rewardGte, rewardLte,
          endedFrom, endedTo, isError, calledFrom, calledTo);
    }
  }
}
