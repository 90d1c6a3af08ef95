/**
 * Kafka Streams app: validates step events, dedupes by event_id, dead-letters bad input and assembles steps into a Trajectory on its END event or after an inactivity gap (trajlake.events to trajlake.trajectories).
 *
 * <p>Not built yet: this module holds its place in the reactor for the issue that builds it.
 */
package org.trajlake.ingest;
