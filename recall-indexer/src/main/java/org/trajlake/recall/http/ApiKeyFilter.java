package org.trajlake.recall.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.trajlake.recall.WorkspaceAccess;

/**
 * Authenticates recall and MCP requests when API keys are configured (401 without a key or with an
 * unknown one), and hands the caller's {@link WorkspaceAccess} on as a request attribute: the
 * recall servlet and the MCP tools check the requested workspace against it (403).
 */
final class ApiKeyFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;

  private final transient ApiKeys keys;
  private final transient RecallMetrics metrics;

  ApiKeyFilter(ApiKeys keys, RecallMetrics metrics) {
    this.keys = keys;
    this.metrics = metrics;
  }

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!keys.enabled()) {
      request.setAttribute(ApiKeys.ACCESS_ATTRIBUTE, WorkspaceAccess.ANY);
      chain.doFilter(request, response);
      return;
    }
    Optional<String> secret = ApiKeys.secretOf(request.getHeader("Authorization"), request.getHeader("X-API-Key"));
    Optional<WorkspaceAccess> access = secret.flatMap(keys::authenticate);
    if (access.isEmpty()) {
      long start = System.nanoTime();
      response.setHeader("WWW-Authenticate", "Bearer realm=\"trajlake-recall\"");
      JsonResponses.error(response, 401, secret.isEmpty()
          ? "an API key is required: send Authorization: Bearer <key> or X-API-Key: <key>"
          : "unknown API key", null);
      metrics.record(endpoint(request), 401, null, System.nanoTime() - start);
      return;
    }
    request.setAttribute(ApiKeys.ACCESS_ATTRIBUTE, access.get());
    chain.doFilter(request, response);
  }

  private static String endpoint(HttpServletRequest request) {
    String path = request.getRequestURI();
    return path.startsWith("/mcp") ? "mcp" : path.endsWith("/steps") ? RecallServlet.STEPS : RecallServlet.TRAJECTORIES;
  }
}
