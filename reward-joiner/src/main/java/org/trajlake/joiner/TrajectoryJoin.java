package org.trajlake.joiner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.trajlake.joiner.JoinStore.Due;
import org.trajlake.joiner.JoinStore.Held;
import org.trajlake.joiner.state.JoinHeader;
import org.trajlake.joiner.state.JoinPhase;
import org.trajlake.schema.Outcome;
import org.trajlake.schema.RewardedTrajectory;
import org.trajlake.schema.Trajectory;

/**
 * The join's state machine for one trajectory_id, over valid, decoded input. Phases:
 *
 * <pre>
 *   (none) --trajectory--> WAITING_FOR_OUTCOMES --outcome or settle timeout--> EMITTED
 *   (none) --outcome-----> WAITING_FOR_TRAJECTORY --trajectory--> EMITTED
 *                          WAITING_FOR_TRAJECTORY --outcome window--> orphans, state dropped
 *   EMITTED --outcome or newer trajectory--> EMITTED (version + 1)
 *   EMITTED --retention since the last change--> state dropped
 * </pre>
 *
 * Every input ends in exactly one of: an emission, a hold, a dead letter, a counted duplicate or
 * stale version. Each emission carries the previous version plus one, so the rewarded topic is an
 * upsert stream whose versions have no gap and no repeat.
 */
final class TrajectoryJoin {
  private final JoinStore store;
  private final RewardSpec spec;
  private final long outcomeWindowMs;
  private final long settleTimeoutMs;
  private final long retentionMs;
  private final int maxOutcomes;

  TrajectoryJoin(JoinStore store, RewardSpec spec, Duration outcomeWindow, Duration settleTimeout,
      Duration retention, int maxOutcomes) {
    this.store = store;
    this.spec = spec;
    this.outcomeWindowMs = outcomeWindow.toMillis();
    this.settleTimeoutMs = settleTimeout.toMillis();
    this.retentionMs = retention.toMillis();
    this.maxOutcomes = maxOutcomes;
  }

  /** A trajectory arrived (a first or a later assembly version) at wall-clock {@code now}. */
  void onTrajectory(Trajectory trajectory, long now, JoinEvents events) {
    String id = trajectory.getTrajectoryId();
    JoinHeader header = store.header(id);
    if (header == null) {
      store.putTrajectory(id, trajectory);
      store.save(id, null, JoinHeader.newBuilder()
          .setPhase(JoinPhase.WAITING_FOR_OUTCOMES)
          .setDeadline(now + settleTimeoutMs)
          .setUpdatedAt(now)
          .build());
      return;
    }
    if (header.getPhase() != JoinPhase.WAITING_FOR_TRAJECTORY) {
      int known = store.trajectory(id).getVersion();
      if (trajectory.getVersion() < known) {
        events.stale();
        return;
      }
      if (trajectory.getVersion() == known) {
        events.duplicate();
        return;
      }
    }
    store.putTrajectory(id, trajectory);
    List<Held> joinable = sameWorkspaceOnly(id, trajectory, store.outcomes(id), events);
    if (header.getPhase() == JoinPhase.EMITTED || !joinable.isEmpty()) {
      emit(id, header, trajectory, joinable, now, events);
      return;
    }
    // Nothing to join yet (no outcome held, or only other workspaces' outcomes): wait for one until
    // the settle timeout, which a newer assembly version does not restart.
    long deadline = header.getPhase() == JoinPhase.WAITING_FOR_OUTCOMES ? header.getDeadline() : now + settleTimeoutMs;
    store.save(id, header, JoinHeader.newBuilder(header)
        .setPhase(JoinPhase.WAITING_FOR_OUTCOMES)
        .setOutcomeCount(0)
        .setDeadline(deadline)
        .setUpdatedAt(now)
        .build());
  }

  /**
   * An outcome arrived at wall-clock {@code now}.
   *
   * @param arrival its offset on its partition: the arrival order of one trajectory's outcomes
   */
  void onOutcome(Outcome outcome, long arrival, long now, JoinEvents events) {
    String id = outcome.getTrajectoryId();
    JoinHeader header = store.header(id);
    if (header == null) {
      store.addOutcome(id, arrival, outcome);
      store.save(id, null, JoinHeader.newBuilder()
          .setPhase(JoinPhase.WAITING_FOR_TRAJECTORY)
          .setOutcomeCount(1)
          .setFirstOutcomeAt(now)
          .setDeadline(now + outcomeWindowMs)
          .setUpdatedAt(now)
          .build());
      return;
    }
    List<Held> held = store.outcomes(id);
    if (held.stream().anyMatch(h -> h.outcome().getOutcomeId().equals(outcome.getOutcomeId()))) {
      events.duplicate();
      return;
    }
    if (held.size() >= maxOutcomes) {
      events.rejectInput(Reasons.TOO_MANY_OUTCOMES, "trajectory " + id + " already holds " + held.size()
          + " outcomes, the most " + JoinerConfig.MAX_OUTCOMES + " allows");
      return;
    }
    if (header.getPhase() == JoinPhase.WAITING_FOR_TRAJECTORY) {
      // Held; the outcome window keeps running from the first held outcome.
      store.addOutcome(id, arrival, outcome);
      store.save(id, header, JoinHeader.newBuilder(header)
          .setOutcomeCount(held.size() + 1)
          .setUpdatedAt(now)
          .build());
      return;
    }
    Trajectory trajectory = store.trajectory(id);
    if (!trajectory.getWorkspace().equals(outcome.getWorkspace())) {
      events.rejectInput(Reasons.WORKSPACE_MISMATCH, workspaceMismatch(outcome, trajectory));
      return;
    }
    store.addOutcome(id, arrival, outcome);
    List<Held> joined = new ArrayList<>(held);
    joined.add(new Held(arrival, outcome));
    emit(id, header, trajectory, joined, now, events);
  }

  /** Up to {@code max} deadlines due at wall-clock {@code now}, earliest first. */
  List<Due> dueDeadlines(long now, int max) {
    return store.due(now, max);
  }

  /** The punctuator found {@code due} at wall-clock {@code now}. */
  void onDeadline(Due due, long now, JoinEvents events) {
    JoinHeader header = store.header(due.id());
    if (header == null || header.getDeadline() != due.deadline()) {
      store.clearDeadline(due); // not reachable while save() keeps the index in step; never loop on it
      return;
    }
    String id = due.id();
    switch (header.getPhase()) {
      case WAITING_FOR_OUTCOMES -> emit(id, header, store.trajectory(id), List.of(), now, events);
      case WAITING_FOR_TRAJECTORY -> {
        String detail = "no trajectory " + id + " arrived within " + JoinerConfig.OUTCOME_WINDOW_MS + "="
            + outcomeWindowMs + " (" + Duration.ofMillis(outcomeWindowMs) + ") of its first outcome, held since "
            + Instant.ofEpochMilli(header.getFirstOutcomeAt() == null ? header.getUpdatedAt() : header.getFirstOutcomeAt());
        for (Held held : store.outcomes(id)) {
          events.orphan(id, held, detail);
        }
        store.drop(id, header);
      }
      case EMITTED -> {
        store.drop(id, header);
        events.expired(id);
      }
    }
  }

  private void emit(String id, JoinHeader header, Trajectory trajectory, List<Held> held, long now, JoinEvents events) {
    List<Outcome> outcomes = held.stream().map(Held::outcome).toList();
    RewardSpec.Reward reward = spec.compute(outcomes);
    long version = header.getEmittedVersion() + 1;
    RewardedTrajectory rewarded = RewardedTrajectory.newBuilder()
        .setTrajectory(trajectory)
        .setOutcomes(new ArrayList<>(outcomes))
        .setReward(reward.reward())
        .setRewardComponents(new HashMap<>(reward.components()))
        .setLabelStatus(reward.label())
        .setRewardSpec(spec.id())
        .setVersion(version)
        .setRewardedAt(Instant.ofEpochMilli(now))
        .build();
    store.save(id, header, JoinHeader.newBuilder(header)
        .setPhase(JoinPhase.EMITTED)
        .setEmittedVersion(version)
        .setOutcomeCount(held.size())
        .setDeadline(now + retentionMs)
        .setUpdatedAt(now)
        .build());
    events.emit(id, rewarded);
  }

  /** The held outcomes of the trajectory's workspace; the others are taken out and dead-lettered. */
  private List<Held> sameWorkspaceOnly(String id, Trajectory trajectory, List<Held> held, JoinEvents events) {
    List<Held> same = new ArrayList<>();
    for (Held h : held) {
      if (trajectory.getWorkspace().equals(h.outcome().getWorkspace())) {
        same.add(h);
      } else {
        store.deleteOutcome(id, h.arrival());
        events.rejectHeld(id, h, Reasons.WORKSPACE_MISMATCH, workspaceMismatch(h.outcome(), trajectory));
      }
    }
    return same;
  }

  private static String workspaceMismatch(Outcome outcome, Trajectory trajectory) {
    return "outcome " + outcome.getOutcomeId() + " is for workspace '" + outcome.getWorkspace() + "' but trajectory "
        + trajectory.getTrajectoryId() + " is in workspace '" + trajectory.getWorkspace() + "'";
  }
}
