package org.trajlake.recall.indexer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTP basic authentication in front of the real OpenSearch node, answering as OpenSearch's security
 * plugin does: a request without the right credentials gets 401 with {@code WWW-Authenticate: Basic};
 * one with them is passed to the node and its answer passed back. The local node runs without the
 * security plugin, so this is what stands between the services and it in the basic-auth test.
 */
final class BasicAuthGate implements AutoCloseable {
  private static final byte[] UNAUTHORIZED =
      "{\"error\":{\"type\":\"security_exception\",\"reason\":\"Unauthorized\"},\"status\":401}"
          .getBytes(StandardCharsets.UTF_8);

  private final String node;
  private final String username;
  private volatile String expected;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(8);
  private final HttpClient client = HttpClient.newHttpClient();
  final AtomicInteger refused = new AtomicInteger();
  final AtomicInteger passed = new AtomicInteger();

  BasicAuthGate(String nodeUrl, String username, String password) throws IOException {
    this.node = nodeUrl;
    this.username = username;
    acceptOnly(password);
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  /** From now on, only {@code password} passes: the credentials rotated on the server's side. */
  void acceptOnly(String password) {
    expected = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        refused.incrementAndGet();
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"OpenSearch Security\"");
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(401, UNAUTHORIZED.length);
        exchange.getResponseBody().write(UNAUTHORIZED);
        return;
      }
      passed.incrementAndGet();
      HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(node + exchange.getRequestURI()))
          .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body));
      String type = exchange.getRequestHeaders().getFirst("Content-Type");
      if (type != null) {
        forward.header("Content-Type", type);
      }
      HttpResponse<byte[]> answer = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
      answer.headers().firstValue("Content-Type").ifPresent(v -> exchange.getResponseHeaders().add("Content-Type", v));
      byte[] out = answer.body();
      boolean empty = out.length == 0 || exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(answer.statusCode(), empty ? -1 : out.length);
      if (!empty) {
        try (OutputStream response = exchange.getResponseBody()) {
          response.write(out);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
