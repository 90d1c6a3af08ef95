package org.trajlake.joiner;

import org.trajlake.schema.RewardedTrajectory;

/** What {@link TrajectoryJoin} decided, told to the processor that turns it into records and metrics. */
interface JoinEvents {

  /** Emit this version of trajectory {@code id}. */
  void emit(String id, RewardedTrajectory rewarded);

  /** A held outcome goes to the orphaned topic: its trajectory did not come in time. */
  void orphan(String id, JoinStore.Held held, String detail);

  /** A held outcome goes to the dead-letter topic (it was already taken from the state). */
  void rejectHeld(String id, JoinStore.Held held, String reason, String detail);

  /** The record being processed goes to the dead-letter topic, unchanged. */
  void rejectInput(String reason, String detail);

  /** The record being processed repeats what the state already has; it changes nothing. */
  void duplicate();

  /** The record being processed is an older assembly version than the state has; it changes nothing. */
  void stale();

  /** The join state of {@code id} passed its retention and was dropped. */
  void expired(String id);
}
