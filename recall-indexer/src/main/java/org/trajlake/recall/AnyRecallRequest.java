package org.trajlake.recall;

/**
 * A recall request of either kind: what the code that checks, meters and describes a recall needs,
 * whatever the recall returns.
 */
public sealed interface AnyRecallRequest permits RecallRequest, StepRecallRequest {
  /** The workspace whose memory is read. */
  String workspace();

  /** The text looked for, stripped; empty only for a vector recall that carries its vector. */
  String query();

  RecallMode mode();
}
