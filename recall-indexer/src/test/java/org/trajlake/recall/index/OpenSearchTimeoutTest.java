package org.trajlake.recall.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.transport.OpenSearchTransport;

/** A node that takes a request and never answers: the request fails after the timeout instead of waiting forever. */
class OpenSearchTimeoutTest {
  private ServerSocket silentNode;
  private final List<Socket> held = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startSilentNode() throws IOException {
    silentNode = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(() -> {
      try {
        while (true) {
          held.add(silentNode.accept()); // reads nothing, answers nothing
        }
      } catch (IOException closed) {
        // the test is over
      }
    }, "silent-node");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterEach
  void stopSilentNode() throws IOException {
    silentNode.close();
    for (Socket socket : held) {
      socket.close();
    }
  }

  @Test
  void aRequestTheNodeNeverAnswersFailsAfterTheTimeout() throws Exception {
    // Given a client with a 1 s timeout, to a node that accepts connections and then says nothing
    OpenSearchSettings.Connection connection = new OpenSearchSettings.Connection(
        "http://127.0.0.1:" + silentNode.getLocalPort(), "", "", "t-").withTimeout(Duration.ofSeconds(1));

    try (OpenSearchTransport transport = OpenSearchClients.transport(connection)) {
      OpenSearchClient client = new OpenSearchClient(transport);

      // When a request is sent, then it fails with a timeout well before the test gives up on it
      long started = System.nanoTime();
      assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
          assertThatThrownBy(client::info).hasStackTraceContaining("Timeout"));
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(10));
      assertThat(held).isNotEmpty();
    }
  }

  @Test
  void theTimeoutDefaultsToOpenSearchJavasOwn() {
    // Given a connection made without one
    OpenSearchSettings.Connection connection = new OpenSearchSettings.Connection("http://127.0.0.1:9200", "", "", "t-");

    // Then it has the 30 s the client library gives the connections it manages itself
    assertThat(connection.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(OpenSearchClients.timeouts(connection.timeout()).getSocketTimeout().toMilliseconds()).isEqualTo(30_000);
    assertThat(OpenSearchClients.timeouts(connection.timeout()).getConnectTimeout().toMilliseconds()).isEqualTo(10_000);
  }
}
