package org.trajlake.stack;

import java.io.IOException;
import java.util.Map;

/** A server of the local stack that runs as its own process. */
interface ManagedServer {
  Component component();

  /** What the status table prints as the server's address. */
  String address();

  /** The ports it binds, by the setting that chose each, to report a clash before starting. */
  Map<StackSetting, Integer> ports();

  /** Writes its config and formats its storage if needed; safe to call before every start. */
  void prepare() throws IOException;

  ServerCommand command();

  /** A quick check (a few seconds at most) of whether the server answers as it should. */
  Health probe();

  /** Work that needs the server up, done once it is healthy (idempotent). */
  default void afterHealthy() {}

  /** What to tell the user when the server does not start. */
  String hint();
}
