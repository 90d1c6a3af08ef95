package org.trajlake.recall.index;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.opensearch.client.json.JsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.ErrorResponse;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.generic.Bodies;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.Request;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;

/**
 * One {@code _bulk} request of external-versioned index operations, written from the documents'
 * maps in a {@link BulkFormat} and sent through the client's generic API (the typed one writes JSON
 * only); the answer is asked for in JSON and read with the client's own bulk response type.
 */
final class BulkBody {
  // Only what DocumentWriter reads of each item: a bulk answer is otherwise longer than its request's actions.
  private static final Map<String, String> PARAMS =
      Map.of("filter_path", "took,errors,items.*._index,items.*._id,items.*.status,items.*.error");

  private final BulkFormat format;
  private final ByteArrayOutputStream body = new ByteArrayOutputStream(256 * 1024);
  private int operations;

  BulkBody(BulkFormat format) {
    this.format = format;
  }

  /**
   * Adds an index operation at {@code version}, which is ignored if the index holds that version or a newer one.
   *
   * @throws IllegalArgumentException when the document holds a value Jackson cannot write: a fault of
   *     the document, not of the connection, so it must not be retried as one
   */
  void index(String alias, String id, long version, Map<String, Object> document) {
    write(Map.of("index", Map.of("_index", alias, "_id", id, "version", version, "version_type", "external")));
    write(document);
    operations++;
  }

  int operations() {
    return operations;
  }

  private void write(Object value) {
    try {
      format.mapper.writeValue(body, value);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write the document: " + e.getMessage(), e);
    }
    body.write(format.separator);
  }

  /**
   * Sends the request.
   *
   * @throws OpenSearchException when OpenSearch (or a proxy before it) refuses the request as a
   *     whole, with the status the indexer decides on: retried when busy or away, else its records
   *     are tried one by one
   * @throws IOException when OpenSearch cannot be reached
   */
  BulkResponse send(OpenSearchClient client) throws IOException {
    JsonpMapper json = client._transport().jsonpMapper();
    Request request = Requests.create("POST", "/_bulk", List.of(Map.entry("Accept", "application/json")), PARAMS,
        Body.from(body.toByteArray(), format.contentType));
    Response response;
    try {
      response = client.generic().execute(request);
    } catch (IOException failed) {
      // The transport returns 400-405 and throws the other answers (429, 5xx, 413, ...) with the answer in
      // the message, 401 and 403 inside an IOException around it: OpenSearch's answer, not a lost connection.
      OptionalInt status = AccessRefusal.answeredStatus(failed);
      if (status.isEmpty()) {
        throw failed;
      }
      throw refusal(status.getAsInt(), failed.getMessage());
    }
    try (response) {
      Body answer = response.getBody().orElse(null);
      if (answer == null) {
        throw refusal(response.getStatus(), "no body in the answer");
      }
      if (response.getStatus() >= 300) {
        byte[] bytes = answer.bodyAsBytes();
        ErrorResponse error;
        try {
          error = Bodies.json(Body.from(bytes, answer.contentType()), ErrorResponse._DESERIALIZER, json);
        } catch (RuntimeException notOpenSearchsError) {
          throw refusal(response.getStatus(), new String(bytes, StandardCharsets.UTF_8));
        }
        throw new OpenSearchException(error);
      }
      return Bodies.json(answer, BulkResponse._DESERIALIZER, json);
    }
  }

  private static OpenSearchException refusal(int status, String text) {
    return new OpenSearchException(ErrorResponse.of(e -> e.status(status)
        .error(c -> c.type("http_" + status).reason(text.length() > 1000 ? text.substring(0, 1000) : text))));
  }
}
