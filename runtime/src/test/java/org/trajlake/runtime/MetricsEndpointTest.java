package org.trajlake.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesPrometheusTextAndHealth() throws Exception {
    // Given a registry with a counter and a service that is healthy, then not
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Counter.builder("trajlake.dlq").tag("reason", "negative-seq").register(registry).increment(3);
    AtomicBoolean healthy = new AtomicBoolean(true);
    try (MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0, registry, healthy::get)) {
      String base = "http://127.0.0.1:" + endpoint.port();

      // When scraped and probed
      HttpResponse<String> metrics = get(base + "/metrics");
      HttpResponse<String> up = get(base + "/health");
      healthy.set(false);
      HttpResponse<String> down = get(base + "/health");

      // Then the counter is there in Prometheus form, and health follows the service
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("trajlake_dlq_total{reason=\"negative-seq\"} 3.0");
      assertThat(up.statusCode()).isEqualTo(200);
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(up.body()).isEqualTo("{\"status\":\"UP\"}");
      assertThat(down.body()).isEqualTo("{\"status\":\"DOWN\"}");
    }
  }

  @Test
  void aDownServiceSaysWhyWhenItKnows() throws Exception {
    // Given a service that knows what is wrong with it, in words that need escaping in JSON
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AtomicBoolean healthy = new AtomicBoolean(true);
    String why = "HTTP 401 \"Unauthorized\"; check opensearch.password";
    try (MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0, registry, healthy::get,
        () -> Optional.of(why))) {
      String health = "http://127.0.0.1:" + endpoint.port() + "/health";

      // When probed healthy, then down
      HttpResponse<String> up = get(health);
      healthy.set(false);
      HttpResponse<String> down = get(health);

      // Then only the DOWN answer carries the problem, as valid JSON
      assertThat(up.body()).isEqualTo("{\"status\":\"UP\"}");
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.body()).isEqualTo("{\"status\":\"DOWN\",\"problem\":\"HTTP 401 \\\"Unauthorized\\\"; check opensearch.password\"}");
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
