package org.trajlake.recall.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.trajlake.recall.RecallService;

/**
 * The recall HTTP endpoint on Jetty: {@code POST /v1/recall}, {@code POST /v1/recall/steps},
 * {@code GET /health}, {@code GET /metrics} and, when given, the MCP streamable-HTTP endpoint at
 * {@code /mcp}. API keys, when configured, guard the recall and MCP paths; health and metrics stay
 * open for probes and scrapers.
 */
public final class RecallServer implements AutoCloseable {
  public static final String RECALL_PATH = "/v1/recall";
  public static final String STEPS_PATH = "/v1/recall/steps";
  public static final String MCP_PATH = "/mcp";

  private final Server server;

  private RecallServer(Server server) {
    this.server = server;
  }

  /** What the endpoint serves. {@code mcp} may be null: no MCP endpoint then. */
  public record Routes(RecallService service, ApiKeys apiKeys, HealthCheck health, PrometheusMeterRegistry registry,
      RecallMetrics metrics, HttpServlet mcp) {}

  /**
   * Listens on {@code host:port} (0: a free port).
   *
   * @throws IllegalStateException naming {@code recall.port} when it cannot listen
   */
  public static RecallServer start(String host, int port, Routes routes) {
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("trajlake-recall-http");
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);

    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    RecallServlet recall = new RecallServlet(routes.service(), routes.metrics(), false);
    RecallServlet steps = new RecallServlet(routes.service(), routes.metrics(), true);
    context.addServlet(new ServletHolder("recall", recall), RECALL_PATH);
    context.addServlet(new ServletHolder("recall-steps", steps), STEPS_PATH);
    context.addServlet(new ServletHolder("health", new HealthServlet(routes.health())), "/health");
    context.addServlet(new ServletHolder("metrics", new MetricsServlet(routes.registry())), "/metrics");
    context.addServlet(new ServletHolder("not-found", new NotFoundServlet()), "/");
    FilterHolder keys = new FilterHolder(new ApiKeyFilter(routes.apiKeys(), routes.metrics()));
    keys.setAsyncSupported(true);
    context.addFilter(keys, RECALL_PATH, EnumSet.of(DispatcherType.REQUEST));
    context.addFilter(keys, STEPS_PATH, EnumSet.of(DispatcherType.REQUEST));
    if (routes.mcp() != null) {
      ServletHolder mcp = new ServletHolder("mcp", routes.mcp());
      // Streamable HTTP answers with server-sent events from other threads: async servlet.
      mcp.setAsyncSupported(true);
      context.addServlet(mcp, MCP_PATH);
      context.addFilter(keys, MCP_PATH, EnumSet.of(DispatcherType.REQUEST));
    }
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new IllegalStateException("cannot serve recall on " + host + ":" + port + " (recall.host, recall.port): "
          + e.getMessage(), e);
    }
    return new RecallServer(server);
  }

  /** The port it listens on. */
  public int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the recall HTTP server: " + e.getMessage(), e);
    }
  }
}
