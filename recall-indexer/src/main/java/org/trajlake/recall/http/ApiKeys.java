package org.trajlake.recall.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigException;
import org.trajlake.recall.WorkspaceAccess;
import org.trajlake.recall.query.WorkspaceScopes;

/**
 * API keys and the workspaces each may read, from free keys {@code recall.api.key.<name>=<secret>}
 * and {@code recall.api.key.<name>.workspaces=ws1,ws2} (or {@code *} for all). With no key
 * configured the endpoint is open (it listens on 127.0.0.1 by default); with any, every recall
 * and MCP request must carry one, as {@code Authorization: Bearer <secret>} or {@code X-API-Key}.
 * Secrets are held as SHA-256 digests only.
 */
public final class ApiKeys {
  public static final String PREFIX = "recall.api.key.";
  /** The request attribute the filter sets: the caller's {@link WorkspaceAccess}. */
  public static final String ACCESS_ATTRIBUTE = WorkspaceAccess.class.getName();
  static final int MIN_SECRET_CHARS = 16;
  private static final String WORKSPACES = ".workspaces";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final Map<String, WorkspaceAccess> byDigest;

  private ApiKeys(Map<String, WorkspaceAccess> byDigest) {
    this.byDigest = Map.copyOf(byDigest);
  }

  public static ApiKeys none() {
    return new ApiKeys(Map.of());
  }

  /**
   * Parses the free keys under {@link #PREFIX}, the prefix removed.
   *
   * @throws ConfigException naming the key at fault
   */
  public static ApiKeys fromKeys(Map<String, String> keys) {
    Map<String, String> secrets = new TreeMap<>();
    Map<String, String> workspaces = new TreeMap<>();
    keys.forEach((key, value) -> {
      if (key.endsWith(WORKSPACES)) {
        workspaces.put(key.substring(0, key.length() - WORKSPACES.length()), value);
      } else {
        secrets.put(key, value);
      }
    });
    Map<String, WorkspaceAccess> byDigest = new HashMap<>();
    for (Map.Entry<String, String> entry : secrets.entrySet()) {
      String name = entry.getKey();
      String secret = entry.getValue().trim();
      if (!NAME.matcher(name).matches()) {
        throw new ConfigException(PREFIX + name, "(hidden)", "an API key name is 1 to 64 of A-Z a-z 0-9 _ -");
      }
      if (secret.length() < MIN_SECRET_CHARS) {
        throw new ConfigException(PREFIX + name, "(hidden)", "an API key secret needs at least " + MIN_SECRET_CHARS
            + " characters (for example: openssl rand -hex 24)");
      }
      String readable = workspaces.get(name);
      if (readable == null || readable.isBlank()) {
        throw new ConfigException(PREFIX + name + WORKSPACES, readable, "API key '" + name
            + "' needs the workspaces it may read: " + PREFIX + name + WORKSPACES + "=ws1,ws2 (or * for all)");
      }
      WorkspaceAccess access = access(name, readable);
      if (byDigest.put(digest(secret), access) != null) {
        throw new ConfigException(PREFIX + name, "(hidden)", "two API keys have the same secret");
      }
    }
    for (String name : workspaces.keySet()) {
      if (!secrets.containsKey(name)) {
        throw new ConfigException(PREFIX + name + WORKSPACES, workspaces.get(name), "API key '" + name
            + "' has workspaces but no secret: set " + PREFIX + name + "=<secret>");
      }
    }
    return new ApiKeys(byDigest);
  }

  private static WorkspaceAccess access(String name, String readable) {
    String principal = "API key '" + name + "'";
    if (readable.trim().equals("*")) {
      return new WorkspaceAccess(principal, java.util.Set.of(), true);
    }
    List<String> list = new ArrayList<>();
    for (String workspace : readable.split(",")) {
      String trimmed = workspace.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      if (!WorkspaceScopes.NAME.matcher(trimmed).matches()) {
        throw new ConfigException(PREFIX + name + WORKSPACES, readable, "'" + trimmed + "' is not a workspace name");
      }
      list.add(trimmed);
    }
    return WorkspaceAccess.only(principal, list);
  }

  /** Whether keys are configured, and so required. */
  public boolean enabled() {
    return !byDigest.isEmpty();
  }

  /** The access of the key with this secret, or empty for an unknown one. */
  public Optional<WorkspaceAccess> authenticate(String secret) {
    return secret == null ? Optional.empty() : Optional.ofNullable(byDigest.get(digest(secret)));
  }

  /** The secret a request carries: {@code Authorization: Bearer <secret>}, else {@code X-API-Key: <secret>}. */
  public static Optional<String> secretOf(String authorization, String apiKey) {
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String secret = authorization.substring(7).trim();
      if (!secret.isEmpty()) {
        return Optional.of(secret);
      }
    }
    if (apiKey != null && !apiKey.isBlank()) {
      return Optional.of(apiKey.trim());
    }
    return Optional.empty();
  }

  private static String digest(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
