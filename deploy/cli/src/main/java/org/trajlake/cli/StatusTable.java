package org.trajlake.cli;

import java.io.PrintWriter;
import java.util.List;
import org.trajlake.stack.ComponentStatus;

/** Prints component rows as an aligned table. */
final class StatusTable {
  private StatusTable() {}

  static void print(PrintWriter out, List<ComponentStatus> rows) {
    String format = "%-11s %-9s %-8s %s%n";
    out.printf(format, "COMPONENT", "STATE", "PID", "ADDRESS");
    for (ComponentStatus row : rows) {
      String state = row.healthy() ? "healthy" : row.running() ? "UNHEALTHY" : "stopped";
      String pid = row.pid().isPresent() ? Long.toString(row.pid().getAsLong()) : "-";
      out.printf(format, row.component().id(), state, pid, row.address()
          + (row.running() && !row.healthy() ? "  (" + row.detail() + ")" : ""));
    }
    out.flush();
  }
}
