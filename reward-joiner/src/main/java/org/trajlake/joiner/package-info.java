/**
 * The reward-joiner, a Kafka Streams app: joins each trajectory ({@code <prefix>trajectories}) with
 * its outcomes ({@code <prefix>outcomes}) in either order of arrival, computes its reward with a
 * configurable {@link org.trajlake.joiner.RewardSpec}, and emits an upsert stream of
 * {@code RewardedTrajectory} ({@code <prefix>trajectories.rewarded}): version 1, 2, 3... per
 * trajectory, one more for every change. A trajectory with no outcome after the settle timeout is
 * emitted UNLABELED; outcomes whose trajectory never comes go to {@code <prefix>outcomes.orphaned};
 * records it cannot use go to {@code <prefix>dlq} with a reason.
 *
 * <p>The API: {@link org.trajlake.joiner.JoinerApp} (start, main), {@link
 * org.trajlake.joiner.JoinerConfig}, {@link org.trajlake.joiner.JoinerTopology} and {@link
 * org.trajlake.joiner.RewardSpec}; everything else is package-private.
 */
package org.trajlake.joiner;
