package org.trajlake.ingest;

import org.trajlake.schema.Trajectory;

/** What the assembling processor forwards: an assembled trajectory, or an input for the dead-letter topic. */
sealed interface IngestOutput {
  /** A trajectory to write to {@code trajlake.trajectories}. */
  record Emitted(Trajectory trajectory) implements IngestOutput {}

  /** An input record's original value; its key is the original key and its headers say why. */
  record DeadLettered(byte[] value) implements IngestOutput {}
}
