package org.trajlake.recall;

import java.util.ArrayList;
import java.util.List;

/** A started recall service: its HTTP endpoint (recall, health, metrics, MCP) and what it holds open. */
public final class RunningRecall implements AutoCloseable {
  private final int port;
  private final RecallService service;
  private final List<AutoCloseable> resources;

  RunningRecall(int port, RecallService service, List<AutoCloseable> resources) {
    this.port = port;
    this.service = service;
    this.resources = new ArrayList<>(resources);
  }

  /** The port the HTTP endpoint listens on. */
  public int port() {
    return port;
  }

  public RecallService service() {
    return service;
  }

  /** Stops serving, then closes the MCP sessions, the embedder and the OpenSearch connection, in that order. */
  @Override
  public void close() {
    RecallApp.closeAll(resources);
  }
}
