package org.trajlake.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The sizes of a benchmark's options checked before anything starts: a negative count used to run
 * as if it were 0, and a zero query count failed minutes later, after the corpus was indexed.
 */
final class SizeChecks {
  private final List<String> problems = new ArrayList<>();

  /** {@code option} must be {@code min} or more. */
  SizeChecks atLeast(String option, long value, long min) {
    if (value < min) {
      problems.add(option + " must be " + min + " or more, not " + value);
    }
    return this;
  }

  /** {@code problem} applies unless {@code holds}. */
  SizeChecks require(boolean holds, String problem) {
    if (!holds) {
      problems.add(problem);
    }
    return this;
  }

  List<String> problems() {
    return List.copyOf(problems);
  }
}
