package org.trajlake.joiner;

import org.trajlake.schema.Outcome;
import org.trajlake.schema.RewardedTrajectory;

/**
 * What the join processor forwards: the topology splits on the type and writes each kind to its
 * topic. The reason of an orphan or a dead letter travels in the record's headers.
 */
sealed interface JoinResult {

  /** A new version of a rewarded trajectory, for {@code <prefix>trajectories.rewarded}. */
  record Rewarded(RewardedTrajectory value) implements JoinResult {}

  /** An outcome whose trajectory never came, for {@code <prefix>outcomes.orphaned}. */
  record Orphaned(Outcome value) implements JoinResult {}

  /** A record the joiner could not use, as its original key and value bytes, for {@code <prefix>dlq}. */
  record DeadLettered(byte[] key, byte[] value) implements JoinResult {}
}
