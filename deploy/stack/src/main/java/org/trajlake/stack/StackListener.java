package org.trajlake.stack;

import java.time.Duration;

/** Hears what {@link LocalStack#up} does, so a command can show progress. Called from several threads. */
public interface StackListener {
  StackListener SILENT = new StackListener() {};

  /** A server process was launched and is now starting. */
  default void started(Component component, long pid) {}

  /** A server was already running from an earlier {@code up}; it is left alone. */
  default void alreadyRunning(Component component, long pid) {}

  /** A component answered its health check, this long after {@code up} began. */
  default void healthy(Component component, Duration sinceUp) {}
}
