package org.trajlake.joiner;

import java.util.Locale;
import org.trajlake.schema.serde.AvroSerdeException;

/**
 * The reason codes reward-joiner writes in the {@code trajlake.dlq.reason} header, one per way a
 * record can fail, so an operator can count and replay each kind separately.
 */
final class Reasons {
  /** The value is null: a tombstone, which neither input topic has a meaning for. */
  static final String NULL_VALUE = "null-value";
  /** The record has no key; the key is the trajectory_id that places it on its partition. */
  static final String MISSING_KEY = "missing-key";
  /** The key differs from the record's trajectory_id, so it may sit on the wrong partition. */
  static final String KEY_MISMATCH = "key-mismatch";
  static final String BLANK_TRAJECTORY_ID = "blank-trajectory-id";
  static final String BLANK_OUTCOME_ID = "blank-outcome-id";
  static final String BLANK_WORKSPACE = "blank-workspace";
  static final String BLANK_KIND = "blank-kind";
  /** The outcome's value is NaN or infinite: no reward can be computed from it. */
  static final String NON_FINITE_VALUE = "non-finite-value";
  /** The outcome's workspace differs from its trajectory's: never joined across workspaces. */
  static final String WORKSPACE_MISMATCH = "workspace-mismatch";
  /** The trajectory already holds joiner.max.outcomes.per.trajectory outcomes. */
  static final String TOO_MANY_OUTCOMES = "too-many-outcomes";
  /** On the orphaned-outcomes topic: no trajectory arrived within the outcome window. */
  static final String NO_TRAJECTORY = "no-trajectory";

  private Reasons() {}

  /** The serde's reason as a code: {@code NO_MAGIC_BYTE} becomes {@code no-magic-byte}. */
  static String of(AvroSerdeException.Reason reason) {
    return reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
