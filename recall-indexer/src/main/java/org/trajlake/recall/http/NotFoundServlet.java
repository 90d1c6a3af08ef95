package org.trajlake.recall.http;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Any other path: a JSON 404 listing what exists. */
final class NotFoundServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    JsonResponses.error(response, 404, "no such endpoint: " + request.getMethod() + " " + request.getRequestURI()
        + "; there are POST /v1/recall, POST /v1/recall/steps, GET /health, GET /metrics and MCP at /mcp", null);
  }
}
