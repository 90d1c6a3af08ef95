package org.trajlake.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.trajlake.recall.RecallApp;
import org.trajlake.recall.RecallConfig;
import org.trajlake.runtime.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code trajlake mcp}: the recall MCP server over stdio, for coding agents that start their tools
 * as processes. Everything but the protocol goes to stderr: stdout belongs to the MCP client.
 */
@Command(name = "mcp", mixinStandardHelpOptions = true,
    description = "Serve the recall MCP tools (recall_trajectories, recall_tool_calls) over stdio. "
        + "Example for a coding agent's MCP config: {\"command\": \"trajlake\", \"args\": [\"mcp\"]}. "
        + "The workspaces it may read: recall.mcp.workspaces (default any). Over HTTP the same tools are at "
        + "http://127.0.0.1:8090/mcp of `trajlake run recall`.")
final class McpCommand implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "FILE", description = "A properties file of settings.")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A setting; repeatable.")
  Map<String, String> set = new LinkedHashMap<>();

  @Override
  public Integer call() {
    Settings settings = Settings.load(set, System.getenv(), Optional.ofNullable(config));
    RecallConfig recall = RecallConfig.from(settings);
    settings.requireExplicitKeysRead("trajlake mcp", ServiceKeys::anyServiceReads);
    RecallApp.runStdio(recall);
    // The SDK's stdio threads may outlive stdin's end; the client closed the session, so exit.
    System.exit(0);
    return 0;
  }
}
