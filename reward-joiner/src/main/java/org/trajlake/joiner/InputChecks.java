package org.trajlake.joiner;

import java.util.Optional;
import org.trajlake.schema.Outcome;
import org.trajlake.schema.Trajectory;

/**
 * The checks a decoded record passes before it touches the join state. The key must be the
 * trajectory_id: the join relies on a trajectory and its outcomes sharing a partition, which only
 * the key guarantees. The first failing check is the reason.
 */
final class InputChecks {
  private InputChecks() {}

  static Optional<Rejection> outcome(String key, Outcome outcome) {
    Optional<Rejection> keyed = key(key, outcome.getTrajectoryId(), "outcome " + outcome.getOutcomeId());
    if (keyed.isPresent()) {
      return keyed;
    }
    if (blank(outcome.getOutcomeId())) {
      return reject(Reasons.BLANK_OUTCOME_ID, "outcome of trajectory " + key + " has a blank outcome_id");
    }
    if (blank(outcome.getWorkspace())) {
      return reject(Reasons.BLANK_WORKSPACE, "outcome " + outcome.getOutcomeId() + " has a blank workspace");
    }
    if (blank(outcome.getKind())) {
      return reject(Reasons.BLANK_KIND, "outcome " + outcome.getOutcomeId() + " has a blank kind");
    }
    if (!Double.isFinite(outcome.getValue())) {
      return reject(Reasons.NON_FINITE_VALUE, "outcome " + outcome.getOutcomeId() + " has value "
          + outcome.getValue() + "; a reward needs a finite number");
    }
    return Optional.empty();
  }

  static Optional<Rejection> trajectory(String key, Trajectory trajectory) {
    Optional<Rejection> keyed = key(key, trajectory.getTrajectoryId(), "trajectory");
    if (keyed.isPresent()) {
      return keyed;
    }
    if (blank(trajectory.getWorkspace())) {
      return reject(Reasons.BLANK_WORKSPACE, "trajectory " + key + " has a blank workspace");
    }
    return Optional.empty();
  }

  private static Optional<Rejection> key(String key, String trajectoryId, String what) {
    if (key == null) {
      return reject(Reasons.MISSING_KEY, what + " has no record key; the key must be its trajectory_id");
    }
    if (blank(trajectoryId)) {
      return reject(Reasons.BLANK_TRAJECTORY_ID, what + " with key '" + key + "' has a blank trajectory_id");
    }
    if (!key.equals(trajectoryId)) {
      return reject(Reasons.KEY_MISMATCH, what + " has trajectory_id '" + trajectoryId + "' but record key '" + key
          + "': it may be on another partition than its trajectory");
    }
    return Optional.empty();
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  private static Optional<Rejection> reject(String reason, String detail) {
    return Optional.of(new Rejection(reason, detail));
  }
}
