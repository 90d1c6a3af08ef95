package org.trajlake.recall.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import org.opensearch.client.transport.OpenSearchTransport;

/**
 * The clients ask OpenSearch for plain answers: asked for gzip (HttpClient 5.6's default), the node
 * compresses every answer on its own CPU, 5 ms of it for a search returning 200 KB of steps.
 */
class OpenSearchCompressionTest {
  private HttpServer node;
  private final List<Headers> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startNode() throws IOException {
    node = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    node.createContext("/", exchange -> {
      requests.add(exchange.getRequestHeaders());
      exchange.getRequestBody().readAllBytes();
      byte[] answer = "{\"acknowledged\":true}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    node.start();
  }

  @AfterEach
  void stopNode() {
    node.stop(0);
  }

  @Test
  void requestsDoNotAskForCompressedAnswers() throws Exception {
    // Given the transport the indexer and recall use
    OpenSearchSettings.Connection connection = new OpenSearchSettings.Connection(
        "http://127.0.0.1:" + node.getAddress().getPort(), "", "", "t-");
    try (OpenSearchTransport transport = OpenSearchClients.transport(connection);
        // When it sends a search
        Response response = new OpenSearchGenericClient(transport).execute(
            Requests.builder().method("POST").endpoint("/t-trajectories/_search").json("{}").build())) {

      // Then the node was reached and not asked for any content encoding
      assertThat(response.getStatus()).isEqualTo(200);
      assertThat(requests).hasSize(1);
      assertThat(requests.get(0).containsKey("Accept-Encoding")).as(requests.get(0).toString()).isFalse();
    }
  }
}
