package org.trajlake.recall.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trajlake.recall.AnyRecallRequest;
import org.trajlake.recall.InvalidRequestException;
import org.trajlake.recall.RecallJson;
import org.trajlake.recall.RecallMode;
import org.trajlake.recall.RecallResult;
import org.trajlake.recall.RecallService;
import org.trajlake.recall.RecallUnavailableException;
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
  private static final McpSchema.ToolAnnotations READ_ONLY =
      new McpSchema.ToolAnnotations("Recall", true, false, true, false, null);

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
    return List.of(
        specification(McpSchema.Tool.builder(RECALL_TRAJECTORIES, ToolSchemas.trajectoriesInput())
            .title("Recall earlier trajectories")
            .description("Find earlier agent trajectories (tasks, what was done, how it ended, the reward) similar to "
                + "a query, in one workspace. Use it before starting a task to learn from earlier attempts. Returns "
                + "the best matches with their status, reward and the steps that matched.")
            .outputSchema(ToolSchemas.trajectoriesOutput()), this::recallTrajectories),
        specification(McpSchema.Tool.builder(RECALL_TOOL_CALLS, ToolSchemas.toolCallsInput())
            .title("Recall earlier tool calls")
            .description("Find earlier tool calls with their results (arguments, output, whether it failed) similar "
                + "to a query, in one workspace: what happened the last times a command like this ran.")
            .outputSchema(ToolSchemas.toolCallsOutput()), this::recallToolCalls));
  }

  CallToolResult recallTrajectories(Map<String, Object> arguments, WorkspaceAccess caller) {
    return recall(RECALL_TRAJECTORIES, arguments, caller, RecallJson::recallRequest, request -> {
      RecallResult result = service.recall(request);
      return answer(ToolText.trajectories(request, result), RecallJson.toJson(result));
    });
  }

  CallToolResult recallToolCalls(Map<String, Object> arguments, WorkspaceAccess caller) {
    return recall(RECALL_TOOL_CALLS, arguments, caller, RecallJson::stepRecallRequest, request -> {
      StepRecallResult result = service.recallSteps(request);
      return answer(ToolText.toolCalls(request, result), RecallJson.toJson(result));
    });
  }

  /** A read-only tool whose calls are answered by {@code handler}, for the caller the transport names. */
  private SyncToolSpecification specification(McpSchema.Tool.Builder tool,
      BiFunction<Map<String, Object>, WorkspaceAccess, CallToolResult> handler) {
    return SyncToolSpecification.builder()
        .tool(tool.annotations(READ_ONLY).build())
        .callHandler((exchange, call) -> handler.apply(call.arguments(), access.apply(exchange.transportContext())))
        .build();
  }

  /**
   * One tool call: reads the arguments as a request, refuses a workspace the caller may not read,
   * then recalls; any failure becomes a tool error. Metered like the HTTP endpoint, by the status it
   * would have answered.
   */
  private <R extends AnyRecallRequest> CallToolResult recall(String tool, Map<String, Object> arguments,
      WorkspaceAccess caller, Function<JsonNode, R> read, Function<R, CallToolResult> recall) {
    long start = System.nanoTime();
    int status = 500;
    RecallMode mode = null;
    try {
      R request = read.apply(arguments(arguments));
      caller.check(request.workspace());
      mode = request.mode();
      CallToolResult result = recall.apply(request);
      status = 200;
      return result;
    } catch (RuntimeException e) {
      status = status(e);
      return error(e);
    } finally {
      metrics.record("mcp_" + tool, status, mode, System.nanoTime() - start);
    }
  }

  private static CallToolResult answer(String text, ObjectNode json) {
    return CallToolResult.builder()
        .addTextContent(text)
        .structuredContent(JSON.convertValue(json, Map.class))
        .isError(false)
        .build();
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
