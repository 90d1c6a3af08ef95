package org.trajlake.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A service's Prometheus endpoint: {@code GET /metrics} in the Prometheus text format and
 * {@code GET /health} (200 when healthy, 503 otherwise, with the problem when the service knows it)
 * for probes and load balancers.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;

  private MetricsEndpoint(HttpServer server) {
    this.server = server;
  }

  /** Serves on {@code host:port}; port 0 picks a free one. */
  public static MetricsEndpoint start(String host, int port, PrometheusMeterRegistry registry, BooleanSupplier healthy) {
    return start(host, port, registry, healthy, Optional::empty);
  }

  /**
   * Serves on {@code host:port}, a health answer of DOWN carrying {@code problem} when there is one:
   * a probe's log then says why, not only that, a service is down.
   */
  public static MetricsEndpoint start(String host, int port, PrometheusMeterRegistry registry, BooleanSupplier healthy,
      Supplier<Optional<String>> problem) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
      server.createContext("/metrics", exchange -> respond(exchange, 200,
          "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
      server.createContext("/health", exchange -> {
        boolean up = healthy.getAsBoolean();
        Map<String, String> health = new LinkedHashMap<>();
        health.put("status", up ? "UP" : "DOWN");
        if (!up) {
          problem.get().ifPresent(why -> health.put("problem", why));
        }
        respond(exchange, up ? 200 : 503, "application/json", JSON.writeValueAsString(health));
      });
      server.setExecutor(Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "trajlake-metrics-http");
        thread.setDaemon(true);
        return thread;
      }));
      server.start();
      return new MetricsEndpoint(server);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port + " (metrics.port): " + e.getMessage(), e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
