package org.trajlake.recall.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.transport.OpenSearchTransport;

/**
 * What {@link BulkBody} puts on the wire and how it reads OpenSearch's answers, against an
 * in-process HTTP server that records the request and answers as told. The real OpenSearch reads
 * both formats in {@code IndexCoreIT}.
 */
class BulkBodyTest {
  private static final String OK = "{\"took\":3,\"errors\":true,\"items\":["
      + "{\"index\":{\"_index\":\"t-000001\",\"_id\":\"a\",\"status\":201}},"
      + "{\"index\":{\"_index\":\"t-000001\",\"_id\":\"b\",\"status\":400,"
      + "\"error\":{\"type\":\"mapper_parsing_exception\",\"reason\":\"failed to parse field [reward]\"}}}]}";

  private HttpServer server;
  private OpenSearchTransport transport;
  private final AtomicReference<byte[]> received = new AtomicReference<>();
  private final AtomicReference<String> receivedType = new AtomicReference<>();
  private final AtomicReference<String> receivedQuery = new AtomicReference<>();
  private volatile int status = 200;
  private volatile String answer = OK;
  private volatile String answerType = "application/json";

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      received.set(exchange.getRequestBody().readAllBytes());
      receivedType.set(exchange.getRequestHeaders().getFirst("Content-Type"));
      receivedQuery.set(exchange.getRequestURI().getQuery());
      byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", answerType);
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    transport = OpenSearchClients.transport(new OpenSearchSettings.Connection(
        "http://127.0.0.1:" + server.getAddress().getPort(), "", "", "t-"));
  }

  @AfterEach
  void stopServer() throws IOException {
    transport.close();
    server.stop(0);
  }

  @Test
  void smileCarriesEachActionAndDocumentAsOneValueFollowedByTheSeparatorWithTheVectorAsFloats() throws Exception {
    // Given two index operations, the first with a vector
    float[] vector = {0.25f, -1.5f, 3.0e-7f};
    BulkBody bulk = new BulkBody(BulkFormat.SMILE);
    bulk.index("t-trajectories", "a", 7L << 32, document("a", vector));
    bulk.index("t-steps", "a#3", 7L << 32, document("a#3", null));

    // When it is sent
    BulkResponse response = bulk.send(new OpenSearchClient(transport));

    // Then OpenSearch gets Smile, each value followed by 0xFF, and asked only for the fields read back
    assertThat(receivedType.get()).startsWith("application/smile");
    assertThat(receivedQuery.get()).contains("filter_path=");
    List<JsonNode> values = split(received.get(), (byte) 0xFF, new ObjectMapper(new SmileFactory()));
    assertThat(values).hasSize(4);
    assertThat(values.get(0).path("index").path("_index").asText()).isEqualTo("t-trajectories");
    assertThat(values.get(0).path("index").path("_id").asText()).isEqualTo("a");
    assertThat(values.get(0).path("index").path("version").asLong()).isEqualTo(7L << 32);
    assertThat(values.get(0).path("index").path("version_type").asText()).isEqualTo("external");
    assertThat(values.get(1).path("trajectory_id").asText()).isEqualTo("a");
    float[] readBack = new float[3];
    for (int i = 0; i < 3; i++) {
      JsonNode value = values.get(1).path("embedding").get(i);
      assertThat(value.numberType()).isEqualTo(JsonParser.NumberType.FLOAT);
      readBack[i] = value.floatValue();
    }
    assertThat(readBack).containsExactly(vector);
    assertThat(values.get(2).path("index").path("_index").asText()).isEqualTo("t-steps");
    assertThat(values.get(3).has("embedding")).isFalse();
    // And its answer reads as the typed client's, item by item
    assertThat(response.items()).hasSize(2);
    assertThat(response.items().get(0).status()).isEqualTo(201);
    assertThat(response.items().get(1).error().reason()).isEqualTo("failed to parse field [reward]");
  }

  @Test
  void jsonCarriesOneValuePerLine() throws Exception {
    BulkBody bulk = new BulkBody(BulkFormat.JSON);
    bulk.index("t-trajectories", "a", 1, document("a", new float[] {0.5f}));

    bulk.send(new OpenSearchClient(transport));

    assertThat(receivedType.get()).startsWith("application/json");
    String body = new String(received.get(), StandardCharsets.UTF_8);
    assertThat(body).endsWith("\n");
    List<JsonNode> values = split(received.get(), (byte) '\n', new ObjectMapper());
    assertThat(values).hasSize(2);
    assertThat(values.get(1).path("embedding").get(0).floatValue()).isEqualTo(0.5f);
  }

  @Test
  void aRefusalOfTheWholeRequestIsOpenSearchsErrorWithItsStatus() {
    // Given OpenSearch too busy to take the request
    status = 429;
    answer = "{\"error\":{\"type\":\"rejected_execution_exception\",\"reason\":\"rejected execution of coordinating "
        + "operation\"},\"status\":429}";
    BulkBody bulk = new BulkBody(BulkFormat.SMILE);
    bulk.index("t-trajectories", "a", 1, document("a", null));

    // Then the failure carries the status the indexer's retry decision reads, and OpenSearch's answer
    assertThatThrownBy(() -> bulk.send(new OpenSearchClient(transport)))
        .isInstanceOfSatisfying(OpenSearchException.class, e -> {
          assertThat(e.status()).isEqualTo(429);
          assertThat(e.error().reason()).contains("rejected_execution_exception", "coordinating");
        });
  }

  @Test
  void aRequestRefusedForWhatItHoldsIsOpenSearchsErrorWithItsTypeAndReason() {
    // Given OpenSearch refusing the body itself (the transport returns 400 rather than throwing it)
    status = 400;
    answer = "{\"error\":{\"type\":\"illegal_argument_exception\",\"reason\":\"Malformed action/metadata line [1]\"},"
        + "\"status\":400}";
    BulkBody bulk = new BulkBody(BulkFormat.SMILE);
    bulk.index("t-trajectories", "a", 1, document("a", null));

    // Then it is a refusal the indexer does not retry as such, but tries record by record
    assertThatThrownBy(() -> bulk.send(new OpenSearchClient(transport)))
        .isInstanceOfSatisfying(OpenSearchException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.error().type()).isEqualTo("illegal_argument_exception");
          assertThat(e.error().reason()).isEqualTo("Malformed action/metadata line [1]");
        });
  }

  @Test
  void anAnswerThatIsNotOpenSearchsIsReportedWithItsStatusAndText() {
    // Given a proxy in front of OpenSearch refusing a body too large with a page of its own
    status = 413;
    answer = "<html><body>413 Request Entity Too Large</body></html>";
    answerType = "text/html";
    BulkBody bulk = new BulkBody(BulkFormat.SMILE);
    bulk.index("t-trajectories", "a", 1, document("a", null));

    assertThatThrownBy(() -> bulk.send(new OpenSearchClient(transport)))
        .isInstanceOfSatisfying(OpenSearchException.class, e -> {
          assertThat(e.status()).isEqualTo(413);
          assertThat(e.error().reason()).contains("Request Entity Too Large");
        });
  }

  @Test
  void aDocumentJacksonCannotWriteIsTheDocumentsFaultNotTheConnections() {
    Map<String, Object> document = document("a", null);
    document.put("opaque", new Object());

    // An IOException would be taken for OpenSearch being away, and retried for ever
    assertThatThrownBy(() -> new BulkBody(BulkFormat.SMILE).index("t-trajectories", "a", 1, document))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot write the document");
  }

  private static Map<String, Object> document(String id, float[] vector) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("trajectory_id", id);
    document.put("tags", List.of("ci", "flaky"));
    document.put("reward", 0.75);
    if (vector != null) {
      document.put("embedding", vector);
    }
    return document;
  }

  /** The values of a bulk body, each ended by {@code separator}. */
  private static List<JsonNode> split(byte[] body, byte separator, ObjectMapper format) throws IOException {
    assertThat(body[body.length - 1]).isEqualTo(separator);
    List<JsonNode> values = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < body.length; i++) {
      if (body[i] == separator) {
        values.add(format.readTree(Arrays.copyOfRange(body, start, i)));
        start = i + 1;
      }
    }
    return values;
  }
}
