package org.trajlake.recall.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.trajlake.recall.RecallJson;

/** Writes JSON answers; every error is {@code {"error": ..., "field": ...}}. */
final class JsonResponses {
  static final ObjectMapper JSON = new ObjectMapper();

  private JsonResponses() {}

  static void send(HttpServletResponse response, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    response.setStatus(status);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }

  static void error(HttpServletResponse response, int status, String message, String field) throws IOException {
    send(response, status, RecallJson.error(message, field));
  }
}
