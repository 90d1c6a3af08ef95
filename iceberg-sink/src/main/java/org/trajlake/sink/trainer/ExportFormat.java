package org.trajlake.sink.trainer;

import java.util.Locale;

/** What an export writes, one JSON object per line. */
public enum ExportFormat {
  /** Every row as it is in the table (nested steps and outcomes included). */
  JSONL,
  /** One chat conversation per trajectory, for supervised fine-tuning; see {@link ChatMessages}. */
  SFT,
  /** Preference pairs of trajectories of the same task, for direct preference optimisation; see {@link DpoPairs}. */
  DPO;

  /** The name as users type it and manifests record it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
