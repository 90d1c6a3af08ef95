package org.trajlake.recall.mcp;

import java.util.HashMap;
import java.util.Map;
import org.trajlake.recall.RecallApp;
import org.trajlake.recall.RecallConfig;
import org.trajlake.runtime.Settings;

/** What {@code trajlake mcp} runs, for the stdio test to spawn: {@code --set KEY=VALUE...}, then MCP on stdin/stdout. */
public final class StdioRecallMain {
  private StdioRecallMain() {}

  public static void main(String[] args) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      String[] pair = args[i + 1].split("=", 2);
      values.put(pair[0], pair[1]);
    }
    RecallApp.runStdio(RecallConfig.from(Settings.of(values)));
    System.exit(0);
  }
}
