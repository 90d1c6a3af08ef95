/**
 * Kafka Streams app: joins trajectories with their outcomes in either order, computes rewards with a configurable reward spec and emits an upsert stream of rewarded trajectories (trajlake.trajectories + trajlake.outcomes to trajlake.trajectories.rewarded).
 *
 * <p>Not built yet: this module holds its place in the reactor for the issue that builds it.
 */
package org.trajlake.joiner;
