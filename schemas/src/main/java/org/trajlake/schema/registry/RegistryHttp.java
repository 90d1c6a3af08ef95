package org.trajlake.schema.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.utils.ExponentialBackoff;

/**
 * Sends one REST call to the registry: JSON in and out, basic auth, and bounded retries with
 * exponential backoff on connection errors and 5xx. A 4xx is the registry's answer to this request
 * and is returned, not retried: asking again would get the same answer. Retrying a POST is safe:
 * every call here is idempotent (registering a registered schema returns its existing id).
 */
final class RegistryHttp {
  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final String ACCEPT =
      "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY_IN_MESSAGE = 500;

  /** An answer from the registry with a status below 500. */
  record Response(int status, JsonNode json, String body, String method, URI uri) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    int errorCode() {
      JsonNode code = json.path("error_code");
      return code.canConvertToInt() ? code.asInt() : SchemaRegistryException.NO_ERROR_CODE;
    }

    /** The registry's {@code message}, or the start of the raw body when it is not JSON. */
    String registryMessage() {
      JsonNode message = json.path("message");
      if (message.isTextual()) {
        return message.asText();
      }
      return body.length() > MAX_BODY_IN_MESSAGE ? body.substring(0, MAX_BODY_IN_MESSAGE) + "..." : body;
    }
  }

  private final HttpClient client;
  private final String baseUrl;
  private final Duration requestTimeout;
  private final Optional<String> authorization;
  private final int maxAttempts;
  private final ExponentialBackoff backoff;

  RegistryHttp(
      HttpClient client,
      String baseUrl,
      Duration requestTimeout,
      Optional<String> authorization,
      int maxAttempts,
      ExponentialBackoff backoff) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    this.client = client;
    this.baseUrl = baseUrl;
    this.requestTimeout = requestTimeout;
    this.authorization = authorization;
    this.maxAttempts = maxAttempts;
    this.backoff = backoff;
  }

  String baseUrl() {
    return baseUrl;
  }

  Response get(String path) {
    return send("GET", path, null);
  }

  Response post(String path, JsonNode body) {
    return send("POST", path, body);
  }

  Response put(String path, JsonNode body) {
    return send("PUT", path, body);
  }

  private Response send(String method, String path, JsonNode body) {
    URI uri = URI.create(baseUrl + path);
    HttpRequest request = request(method, uri, body);
    String lastProblem = "";
    int lastStatus = SchemaRegistryException.NO_STATUS;
    Throwable lastCause = null;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      if (attempt > 1) {
        sleep(backoff.backoff(attempt - 2));
      }
      try {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() < 500) {
          return new Response(response.statusCode(), parse(response.body()), response.body(), method, uri);
        }
        // 5xx: the registry (or a proxy in front of it) is failing, not refusing this request.
        Response failed =
            new Response(response.statusCode(), parse(response.body()), response.body(), method, uri);
        lastStatus = failed.status();
        lastProblem = "HTTP " + failed.status() + " " + failed.registryMessage();
        lastCause = null;
      } catch (IOException e) {
        lastStatus = SchemaRegistryException.NO_STATUS;
        lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
        lastCause = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaRegistryException(
            "Interrupted while calling the schema registry at " + uri,
            SchemaRegistryException.NO_STATUS,
            SchemaRegistryException.NO_ERROR_CODE,
            "",
            e);
      }
    }
    throw new RegistryUnavailableException(uri.toString(), maxAttempts, lastStatus, lastProblem, lastCause);
  }

  private HttpRequest request(String method, URI uri, JsonNode body) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri).timeout(requestTimeout).header("Accept", ACCEPT);
    authorization.ifPresent(value -> builder.header("Authorization", value));
    if (body == null) {
      builder.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      builder.header("Content-Type", CONTENT_TYPE);
      builder.method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    }
    return builder.build();
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      // Proxies and wrong URLs answer with HTML; the raw body still goes into the error message.
      return MissingNode.getInstance();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException(
          "Interrupted while waiting to retry a schema registry call",
          SchemaRegistryException.NO_STATUS,
          SchemaRegistryException.NO_ERROR_CODE,
          "",
          e);
    }
  }
}
