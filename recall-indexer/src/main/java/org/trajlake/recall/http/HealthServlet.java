package org.trajlake.recall.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code GET /health}: 200 when OpenSearch answers and the indexes fit the model, 503 saying why otherwise. */
final class HealthServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient HealthCheck check;

  HealthServlet(HealthCheck check) {
    this.check = check;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    ObjectNode body = JsonResponses.JSON.createObjectNode();
    try {
      check.verify();
      body.put("status", "UP");
      JsonResponses.send(response, 200, body);
    } catch (RuntimeException e) {
      body.put("status", "DOWN");
      body.put("error", String.valueOf(e.getMessage()));
      JsonResponses.send(response, 503, body);
    }
  }
}
