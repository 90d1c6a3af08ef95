package org.trajlake.recall.query;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigException;
import org.trajlake.schema.WorkspaceNames;

/**
 * Which workspaces a recall in a workspace reads: the workspace itself and, when configured, its
 * parents, transitively ({@code recall.workspace.team-a.parents=org}: team-a also reads org's
 * memory). Resolved once at start, so a cycle is refused before anything serves.
 */
public final class WorkspaceScopes {
  /** Free keys {@code recall.workspace.<workspace>.parents=<p1>,<p2>}. */
  public static final String PREFIX = "recall.workspace.";
  /** What a workspace name may be: short, and safe in a config key, a URL and a log line. */
  public static final Pattern NAME = WorkspaceNames.PATTERN;
  private static final String PARENTS = ".parents";
  private static final String NAME_RULE = " (1 to 128 of A-Z a-z 0-9 . _ : -)";

  private final Map<String, List<String>> readable;

  private WorkspaceScopes(Map<String, List<String>> readable) {
    this.readable = Map.copyOf(readable);
  }

  /** No inheritance: every workspace reads only itself. */
  public static WorkspaceScopes none() {
    return new WorkspaceScopes(Map.of());
  }

  /**
   * Parses the free keys under {@link #PREFIX}, the prefix removed ({@code team-a.parents -> org,shared}).
   *
   * @throws ConfigException naming the key: an unknown key, a malformed name, or parents forming a cycle
   */
  public static WorkspaceScopes fromKeys(Map<String, String> keys) {
    Map<String, List<String>> parents = new LinkedHashMap<>();
    for (String key : keys.keySet().stream().sorted().toList()) {
      String value = keys.get(key);
      if (!key.endsWith(PARENTS)) {
        throw new ConfigException(PREFIX + key, value, "unknown key; the only workspace key is "
            + PREFIX + "<workspace>.parents=<parent>,<parent>...");
      }
      String workspace = key.substring(0, key.length() - PARENTS.length());
      if (!NAME.matcher(workspace).matches()) {
        throw new ConfigException(PREFIX + key, value, "'" + workspace + "' is not a workspace name" + NAME_RULE);
      }
      List<String> list = new ArrayList<>();
      for (String parent : value.split(",")) {
        String name = parent.trim();
        if (name.isEmpty()) {
          continue;
        }
        if (!NAME.matcher(name).matches()) {
          throw new ConfigException(PREFIX + key, value, "parent '" + name + "' is not a workspace name" + NAME_RULE);
        }
        list.add(name);
      }
      parents.put(workspace, List.copyOf(list));
    }
    List<String> cycle = findCycle(parents);
    if (!cycle.isEmpty()) {
      String key = PREFIX + cycle.get(0) + PARENTS;
      throw new ConfigException(key, keys.get(cycle.get(0) + PARENTS), "workspace parents form a cycle: "
          + String.join(" -> ", cycle) + "; a workspace cannot inherit from itself");
    }
    Map<String, List<String>> readable = new HashMap<>();
    for (String workspace : parents.keySet()) {
      readable.put(workspace, closure(workspace, parents));
    }
    return new WorkspaceScopes(readable);
  }

  /** The workspaces a recall in {@code workspace} reads: itself first, then its ancestors, nearest first. */
  public List<String> readableBy(String workspace) {
    return readable.getOrDefault(workspace, List.of(workspace));
  }

  private static List<String> closure(String workspace, Map<String, List<String>> parents) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> queue = new ArrayDeque<>(List.of(workspace));
    while (!queue.isEmpty()) {
      String next = queue.removeFirst();
      if (seen.add(next)) {
        queue.addAll(parents.getOrDefault(next, List.of()));
      }
    }
    return List.copyOf(seen);
  }

  /** A cycle as a path that starts and ends at the same workspace, or empty. Depth-first, three colours. */
  private static List<String> findCycle(Map<String, List<String>> parents) {
    Map<String, Integer> state = new HashMap<>(); // absent: unvisited, 1: on the path, 2: done
    for (String start : parents.keySet()) {
      List<String> path = new ArrayList<>();
      List<String> cycle = visit(start, parents, state, path);
      if (!cycle.isEmpty()) {
        return cycle;
      }
    }
    return List.of();
  }

  private static List<String> visit(String node, Map<String, List<String>> parents, Map<String, Integer> state,
      List<String> path) {
    Integer seen = state.get(node);
    if (seen != null && seen == 2) {
      return List.of();
    }
    path.add(node);
    if (seen != null) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
      return cycle;
    }
    state.put(node, 1);
    for (String parent : parents.getOrDefault(node, List.of())) {
      List<String> cycle = visit(parent, parents, state, path);
      if (!cycle.isEmpty()) {
        return cycle;
      }
    }
    state.put(node, 2);
    path.remove(path.size() - 1);
    return List.of();
  }
}
