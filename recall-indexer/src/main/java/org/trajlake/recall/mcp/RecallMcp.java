package org.trajlake.recall.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServlet;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Set;
import org.trajlake.recall.RecallService;
import org.trajlake.recall.WorkspaceAccess;
import org.trajlake.recall.http.ApiKeys;
import org.trajlake.recall.http.RecallMetrics;
import org.trajlake.recall.http.RecallServer;

/**
 * The recall MCP server (official Java SDK) with tools {@code recall_trajectories} and
 * {@code recall_tool_calls}, over streamable HTTP (mounted at {@code /mcp} on the recall server,
 * behind its API keys) or over stdio (for coding agents that spawn it; what it may read comes
 * from {@code recall.mcp.workspaces}).
 */
public final class RecallMcp {
  public static final String SERVER_NAME = "trajlake-recall";
  private static final String ACCESS = "trajlake.recall.access";
  private static final String INSTRUCTIONS = "Memory of earlier agent work in this workspace. Call recall_trajectories "
      + "with the task at hand before starting it, to see how similar tasks went (status, reward, the steps that "
      + "mattered); call recall_tool_calls before running a command to see how the same kind of call went before.";
  /** The access of a request that reached the MCP servlet without the API-key filter: nothing. */
  private static final WorkspaceAccess UNAUTHENTICATED = WorkspaceAccess.only("an unauthenticated caller", Set.of());

  private RecallMcp() {}

  /** The MCP endpoint of the recall HTTP server; closing it ends the MCP sessions. */
  public record HttpEndpoint(HttpServlet servlet, McpSyncServer server) implements AutoCloseable {
    @Override
    public void close() {
      server.closeGracefully();
    }
  }

  /** The streamable-HTTP MCP endpoint; who may read what comes from the API-key filter's request attribute. */
  public static HttpEndpoint http(RecallService service, RecallMetrics metrics) {
    HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
        .jsonMapper(jsonMapper())
        .mcpEndpoint(RecallServer.MCP_PATH)
        .contextExtractor(request -> {
          Object access = request.getAttribute(ApiKeys.ACCESS_ATTRIBUTE);
          return McpTransportContext.create(Map.of(ACCESS, access instanceof WorkspaceAccess a ? a : UNAUTHENTICATED));
        })
        .build();
    RecallTools tools = new RecallTools(service, metrics, context -> {
      Object access = context == null ? null : context.get(ACCESS);
      return access instanceof WorkspaceAccess a ? a : UNAUTHENTICATED;
    });
    McpSyncServer server = McpServer.sync(transport)
        .serverInfo(SERVER_NAME, version())
        .instructions(INSTRUCTIONS)
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        .tools(tools.specifications())
        .build();
    return new HttpEndpoint(transport, server);
  }

  /** The MCP server over {@code in} and {@code out} (a process's stdin and stdout), reading what {@code access} allows. */
  public static McpSyncServer stdio(RecallService service, WorkspaceAccess access, RecallMetrics metrics, InputStream in,
      OutputStream out) {
    RecallTools tools = new RecallTools(service, metrics, context -> access);
    return McpServer.sync(new StdioServerTransportProvider(jsonMapper(), in, out))
        .serverInfo(SERVER_NAME, version())
        .instructions(INSTRUCTIONS)
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        .tools(tools.specifications())
        .build();
  }

  private static McpJsonMapper jsonMapper() {
    return new JacksonMcpJsonMapper(new ObjectMapper());
  }

  private static String version() {
    String version = RecallMcp.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
