package org.trajlake.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the demo's polling recall treats the service's answers, against a scripted HTTP endpoint. */
class DemoRecallTest {
  private static final String FOUND = "{\"trajectories\":[{\"trajectory_id\":\"t-1\"}]}";
  private static final String TIMED_OUT = "{\"error\":\"OpenSearch did not answer within 2000 ms (recall.timeout.ms)\"}";

  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void aRecallThatTimesOutOnceIsAskedAgainWithinTheDeadline() throws IOException {
    // Given a service whose first answer is a 504, as on a node still warming up
    AtomicInteger calls = new AtomicInteger();
    DemoRecall recall = serve(calls, List.of(504, 200));

    DemoRecall.Answer answer = recall.until("flaky test", 10, null, null, a -> DemoRecall.contains(a, "t-1"),
        Duration.ofSeconds(5));

    assertThat(answer).isNotNull();
    assertThat(DemoRecall.contains(answer, "t-1")).isTrue();
    assertThat(calls).hasValue(2);
  }

  @Test
  void aServiceStillUnavailableAtTheDeadlineIsReportedWithItsAnswer() throws IOException {
    DemoRecall recall = serve(new AtomicInteger(), List.of(504));

    assertThatThrownBy(() -> recall.until("flaky test", 10, null, null, a -> true, Duration.ofMillis(300)))
        .isInstanceOf(DemoRecall.Unavailable.class).hasMessageContaining("recall answered 504")
        .hasMessageContaining("recall.timeout.ms");
  }

  @Test
  void aBadRequestIsNotRetried() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    DemoRecall recall = serve(calls, List.of(400, 200));

    assertThatThrownBy(() -> recall.until("flaky test", 10, null, null, a -> true, Duration.ofSeconds(5)))
        .isNotInstanceOf(DemoRecall.Unavailable.class).hasMessageContaining("recall answered 400");
    assertThat(calls).hasValue(1);
  }

  /** Answers each call with the next status of {@code statuses}, repeating the last one. */
  private DemoRecall serve(AtomicInteger calls, List<Integer> statuses) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/recall", exchange -> {
      int status = statuses.get(Math.min(calls.getAndIncrement(), statuses.size() - 1));
      byte[] body = (status == 200 ? FOUND : TIMED_OUT).getBytes(StandardCharsets.UTF_8);
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return new DemoRecall("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/recall");
  }
}
