package org.trajlake.recall.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import org.opensearch.client.transport.OpenSearchTransport;

/**
 * The REST calls index administration makes (templates, settings, aliases, _reindex), through the
 * generic client: their bodies are built as maps, and a failure says the method, the path and
 * OpenSearch's answer.
 */
final class AdminRequests {
  static final ObjectMapper JSON = new ObjectMapper();

  private final OpenSearchGenericClient http;

  AdminRequests(OpenSearchTransport transport) {
    this.http = new OpenSearchGenericClient(transport);
  }

  boolean exists(String path) {
    try (Response response = http.execute(Requests.builder().method("HEAD").endpoint(path).build())) {
      requireAuthorized(response.getStatus(), "HEAD", path);
      return response.getStatus() == 200;
    } catch (IOException e) {
      requireAuthorized(e, "HEAD", path);
      throw new UncheckedIOException("OpenSearch unreachable: " + e.getMessage(), e);
    }
  }

  Map<String, Object> get(String path) {
    return send("GET", path, null);
  }

  JsonNode getTree(String path) {
    return JSON.valueToTree(get(path));
  }

  static String json(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> send(String method, String path, Object body) {
    try {
      Requests.JsonBodyBuilder request = Requests.builder().method(method).endpoint(path);
      if (body != null) {
        request.json(json(body));
      }
      try (Response response = http.execute(request.build())) {
        String text = response.getBody().map(b -> b.bodyAsString()).orElse("{}");
        requireAuthorized(response.getStatus(), method, path);
        if (response.getStatus() >= 300) {
          throw new IllegalStateException(method + " " + path + " failed: HTTP " + response.getStatus() + " " + text);
        }
        return JSON.readValue(text, Map.class);
      }
    } catch (IOException e) {
      requireAuthorized(e, method, path);
      throw new UncheckedIOException("OpenSearch request " + method + " " + path + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Says a refusal of the credentials as one, with the keys that set them: a 401 read as "OpenSearch
   * unreachable" or "the alias does not exist" sent the user after the wrong setting.
   */
  private static void requireAuthorized(IOException failure, String method, String path) {
    AccessRefusal.answeredStatus(failure).ifPresent(status -> requireAuthorized(status, method, path));
  }

  private static void requireAuthorized(int status, String method, String path) {
    AccessRefusal.explain(status).ifPresent(why -> {
      throw new IllegalStateException("OpenSearch answered " + status + (status == 401 ? " Unauthorized" : " Forbidden")
          + " to " + method + " " + path + ": " + why);
    });
  }
}
