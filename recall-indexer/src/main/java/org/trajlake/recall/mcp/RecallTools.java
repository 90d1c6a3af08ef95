package org.trajlake.recall.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trajlake.recall.InvalidRequestException;
import org.trajlake.recall.RecallJson;
import org.trajlake.recall.RecallMode;
import org.trajlake.recall.RecallRequest;
import org.trajlake.recall.RecallResult;
import org.trajlake.recall.RecallService;
import org.trajlake.recall.RecallUnavailableException;
import org.trajlake.recall.StepRecallRequest;
import org.trajlake.recall.StepRecallResult;
import org.trajlake.recall.WorkspaceAccess;
import org.trajlake.recall.http.RecallMetrics;

/**
 * The two MCP tools. Each answers with a compact text list for the model to read and the same
 * result as structured content (the HTTP endpoint's JSON). A bad argument or a forbidden workspace
 * is a tool error (isError) that says what to change, never a protocol error.
 */
final class RecallTools {
  static final String RECALL_TRAJECTORIES = "recall_trajectories";
  static final String RECALL_TOOL_CALLS = "recall_tool_calls";
  private static final Logger LOG = LoggerFactory.getLogger(RecallTools.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RecallService service;
  private final RecallMetrics metrics;
  private final Function<McpTransportContext, WorkspaceAccess> access;

  /** @param access who the caller is, from the transport context (an API key over HTTP, the config over stdio) */
  RecallTools(RecallService service, RecallMetrics metrics, Function<McpTransportContext, WorkspaceAccess> access) {
    this.service = service;
    this.metrics = metrics;
    this.access = access;
  }

  List<SyncToolSpecification> specifications() {
    McpSchema.ToolAnnotations readOnly = new McpSchema.ToolAnnotations("Recall", true, false, true, false, null);
    McpSchema.Tool trajectories = McpSchema.Tool.builder(RECALL_TRAJECTORIES, ToolSchemas.trajectoriesInput())
        .title("Recall earlier trajectories")
        .description("Find earlier agent trajectories (tasks, what was done, how it ended, the reward) similar to a "
            + "query, in one workspace. Use it before starting a task to learn from earlier attempts. Returns the "
            + "best matches with their status, reward and the steps that matched.")
        .outputSchema(ToolSchemas.trajectoriesOutput())
        .annotations(readOnly)
        .build();
    McpSchema.Tool toolCalls = McpSchema.Tool.builder(RECALL_TOOL_CALLS, ToolSchemas.toolCallsInput())
        .title("Recall earlier tool calls")
        .description("Find earlier tool calls with their results (arguments, output, whether it failed) similar to "
            + "a query, in one workspace: what happened the last times a command like this ran.")
        .outputSchema(ToolSchemas.toolCallsOutput())
        .annotations(readOnly)
        .build();
    return List.of(
        SyncToolSpecification.builder().tool(trajectories)
            .callHandler((exchange, call) -> recallTrajectories(call.arguments(), access.apply(exchange.transportContext())))
            .build(),
        SyncToolSpecification.builder().tool(toolCalls)
            .callHandler((exchange, call) -> recallToolCalls(call.arguments(), access.apply(exchange.transportContext())))
            .build());
  }

  CallToolResult recallTrajectories(Map<String, Object> arguments, WorkspaceAccess caller) {
    long start = System.nanoTime();
    int status = 500;
    RecallMode mode = null;
    try {
      RecallRequest request = RecallJson.recallRequest(arguments(arguments));
      caller.check(request.workspace());
      mode = request.mode();
      RecallResult result = service.recall(request);
      status = 200;
      return CallToolResult.builder()
          .addTextContent(ToolText.trajectories(request, result))
          .structuredContent(JSON.convertValue(RecallJson.toJson(result), Map.class))
          .isError(false)
          .build();
    } catch (RuntimeException e) {
      status = status(e);
      return error(e);
    } finally {
      metrics.record("mcp_" + RECALL_TRAJECTORIES, status, mode, System.nanoTime() - start);
    }
  }

  CallToolResult recallToolCalls(Map<String, Object> arguments, WorkspaceAccess caller) {
    long start = System.nanoTime();
    int status = 500;
    RecallMode mode = null;
    try {
      StepRecallRequest request = RecallJson.stepRecallRequest(arguments(arguments));
      caller.check(request.workspace());
      mode = request.mode();
      StepRecallResult result = service.recallSteps(request);
      status = 200;
      return CallToolResult.builder()
          .addTextContent(ToolText.toolCalls(request, result))
          .structuredContent(JSON.convertValue(RecallJson.toJson(result), Map.class))
          .isError(false)
          .build();
    } catch (RuntimeException e) {
      status = status(e);
      return error(e);
    } finally {
      metrics.record("mcp_" + RECALL_TOOL_CALLS, status, mode, System.nanoTime() - start);
    }
  }

  private static JsonNode arguments(Map<String, Object> arguments) {
    return arguments == null ? JSON.createObjectNode() : JSON.valueToTree(arguments);
  }

  /** The HTTP status the same failure gets from the HTTP endpoint, for the metrics. */
  private static int status(RuntimeException e) {
    if (e instanceof InvalidRequestException) {
      return 400;
    }
    if (e instanceof WorkspaceAccess.ForbiddenWorkspaceException) {
      return 403;
    }
    if (e instanceof RecallUnavailableException unavailable) {
      return unavailable.timedOut() ? 504 : 503;
    }
    return 500;
  }

  private static CallToolResult error(RuntimeException e) {
    String text;
    if (e instanceof InvalidRequestException invalid) {
      text = "invalid request" + (invalid.field() == null ? "" : " (" + invalid.field() + ")") + ": " + e.getMessage();
    } else if (e instanceof WorkspaceAccess.ForbiddenWorkspaceException || e instanceof RecallUnavailableException) {
      text = e.getMessage();
    } else {
      LOG.error("MCP recall failed unexpectedly", e);
      text = "internal error: " + e;
    }
    return CallToolResult.builder().addTextContent(text).isError(true).build();
  }
}
