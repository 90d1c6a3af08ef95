package org.trajlake.recall;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.modelcontextprotocol.server.McpSyncServer;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.opensearch.client.transport.OpenSearchTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trajlake.recall.embed.CachingEmbedder;
import org.trajlake.recall.embed.Embedder;
import org.trajlake.recall.embed.OnnxEmbedder;
import org.trajlake.recall.http.HealthCheck;
import org.trajlake.recall.http.RecallMetrics;
import org.trajlake.recall.http.RecallServer;
import org.trajlake.recall.index.IndexAdmin;
import org.trajlake.recall.index.IndexNames;
import org.trajlake.recall.index.OpenSearchClients;
import org.trajlake.recall.mcp.RecallMcp;
import org.trajlake.runtime.ServiceMain;

/**
 * The recall service's lifecycle: {@link #start} serves HTTP (recall, health, metrics, MCP at
 * {@code /mcp}); {@link #runStdio} serves MCP over stdin/stdout for an agent that spawns it. Both
 * refuse to start, saying what to do, when OpenSearch is unreachable or the indexes are missing or
 * were built with another embedding model.
 */
public final class RecallApp {
  private static final Logger LOG = LoggerFactory.getLogger(RecallApp.class);
  /** Recent query vectors: agents repeat their queries, and each embedding costs a few milliseconds. */
  private static final int QUERY_VECTOR_CACHE = 10_000;

  private RecallApp() {}

  public static void main(String[] args) {
    ServiceMain.run("recall", args, settings -> start(RecallConfig.from(settings)));
  }

  /**
   * Starts the HTTP endpoint on {@code recall.host:recall.port}.
   *
   * @throws IllegalStateException saying what to fix: OpenSearch unreachable, indexes missing or built
   *     with another model, port in use
   */
  public static RunningRecall start(RecallConfig config) {
    List<AutoCloseable> resources = new ArrayList<>();
    try {
      Core core = core(config, resources);
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      registry.config().commonTags("service", "recall");
      RecallMetrics metrics = new RecallMetrics(registry);
      RecallMcp.HttpEndpoint mcp = RecallMcp.http(core.service(), metrics);
      resources.add(0, mcp);
      RecallServer server = RecallServer.start(config.host(), config.port(), new RecallServer.Routes(core.service(),
          config.apiKeys(), core.health(), registry, metrics, mcp.servlet()));
      resources.add(0, server);
      LOG.info("recall serving on http://{}:{} (POST {}, POST {}, MCP at {}); indexes {}*; API keys {}",
          config.host(), server.port(), RecallServer.RECALL_PATH, RecallServer.STEPS_PATH, RecallServer.MCP_PATH,
          config.connection().indexPrefix(), config.apiKeys().enabled() ? "required" : "off");
      return new RunningRecall(server.port(), core.service(), resources);
    } catch (RuntimeException e) {
      closeAll(resources);
      throw e;
    }
  }

  /**
   * Serves MCP over this process's stdin and stdout until stdin closes. Everything else the
   * process prints goes to stderr: stdout carries the protocol alone.
   *
   * @throws IllegalStateException saying what to fix, as {@link #start}
   */
  public static void runStdio(RecallConfig config) {
    PrintStream protocol = System.out;
    // Anything printing to System.out from here on (a library, a console log appender) lands on stderr.
    System.setOut(System.err);
    List<AutoCloseable> resources = new ArrayList<>();
    try {
      Core core = core(config, resources);
      CountDownLatch endOfInput = new CountDownLatch(1);
      RecallMetrics metrics = new RecallMetrics(new SimpleMeterRegistry());
      McpSyncServer server = RecallMcp.stdio(core.service(), config.mcpStdioAccess(), metrics,
          untilEnd(System.in, endOfInput), protocol);
      resources.add(0, server::closeGracefully);
      LOG.info("recall MCP server on stdio; indexes {}*; workspaces: {}", config.connection().indexPrefix(),
          config.mcpStdioAccess().any() ? "any" : config.mcpStdioAccess().workspaces());
      endOfInput.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeAll(resources);
    }
  }

  /** What both ways of serving need: the transport, the verified indexes, the embedder and the service. */
  private record Core(RecallService service, HealthCheck health) {}

  private static Core core(RecallConfig config, List<AutoCloseable> resources) {
    OpenSearchTransport transport = OpenSearchClients.transport(config.connection());
    resources.add(0, transport);
    Embedder embedder = new CachingEmbedder(OnnxEmbedder.load(config.embeddingModel(), config.embeddingThreads()),
        QUERY_VECTOR_CACHE);
    resources.add(0, embedder);
    IndexNames names = config.connection().indexNames();
    IndexAdmin admin = new IndexAdmin(transport, names);
    try {
      admin.verify(embedder.model(), embedder.dimension());
      return new Core(new RecallService(transport, names, embedder, config),
          () -> admin.verify(embedder.model(), embedder.dimension()));
    } catch (UncheckedIOException e) {
      throw new IllegalStateException("recall cannot start: OpenSearch at " + config.connection().url()
          + " does not answer (opensearch.url; is it up? trajlake up starts one): " + e.getMessage(), e);
    } catch (IllegalStateException e) {
      throw new IllegalStateException("recall cannot start: " + e.getMessage(), e);
    }
  }

  /** Calls {@code done} once {@code in} reports its end: the agent closed our stdin, the session is over. */
  private static InputStream untilEnd(InputStream in, CountDownLatch done) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        return ended(super.read());
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        return ended(super.read(buffer, offset, length));
      }

      private int ended(int result) {
        if (result < 0) {
          done.countDown();
        }
        return result;
      }
    };
  }

  /** Closes each resource in list order (the last opened first), going on past failures; empties the list. */
  static void closeAll(List<AutoCloseable> resources) {
    List<AutoCloseable> toClose = new ArrayList<>(resources);
    resources.clear();
    for (AutoCloseable resource : toClose) {
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("error while closing {}: {}", resource, e.toString());
      }
    }
  }
}
