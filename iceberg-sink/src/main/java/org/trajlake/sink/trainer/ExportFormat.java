package org.trajlake.sink.trainer;

import java.util.Locale;

/** What an export writes, one JSON object per line. */
public enum ExportFormat {
  /** Every row as it is in the table (nested steps and outcomes included). */
  JSONL,
  /**
   * One chat conversation per trajectory, for supervised fine-tuning: observations and messages as user
   * turns, thoughts, actions and tool calls as assistant turns, tool results as tool turns.
   */
  SFT,
  /**
   * Preference pairs of trajectories of the same task whose rewards differ by at least a margin, for
   * direct preference optimisation.
   */
  DPO;

  /** The name as users type it and manifests record it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
