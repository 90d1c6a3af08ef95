package org.trajlake.recall.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensearch.client.transport.OpenSearchTransport;
import org.trajlake.recall.RecallConfig;
import org.trajlake.recall.indexer.IndexerConfig;
import org.trajlake.runtime.Settings;

/**
 * An https OpenSearch whose certificate the JVM does not trust is reached through
 * {@code opensearch.truststore.path}. The "OpenSearch" is an in-process HTTPS server answering the
 * client's ping, with a self-signed certificate keytool makes for 127.0.0.1.
 */
class OpenSearchTrustStoreTest {
  private static final String PASSWORD = "test-only-password";

  @TempDir
  static Path dir;

  private static HttpsServer server;
  private static Path trustStore;

  @BeforeAll
  static void startHttpsServer() throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    assumeTrue(Files.isExecutable(keytool), "no keytool in " + keytool.getParent() + " to make a test certificate");
    Path serverKeys = dir.resolve("server.p12");
    Path certificate = dir.resolve("server.crt");
    trustStore = dir.resolve("trust.p12");
    run(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC", "-dname", "CN=127.0.0.1",
        "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", serverKeys.toString(), "-storetype", "PKCS12",
        "-storepass", PASSWORD);
    run(keytool.toString(), "-exportcert", "-alias", "server", "-keystore", serverKeys.toString(), "-storepass",
        PASSWORD, "-file", certificate.toString());
    run(keytool.toString(), "-importcert", "-noprompt", "-alias", "ca", "-file", certificate.toString(),
        "-keystore", trustStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);

    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(KeyStore.getInstance(serverKeys.toFile(), PASSWORD.toCharArray()), PASSWORD.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext("/", exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterAll
  static void stopHttpsServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void withTheTruststoreTheServerIsReached() throws Exception {
    // Given the truststore holding the server's certificate
    OpenSearchSettings.Connection connection =
        new OpenSearchSettings.Connection(url(), "", "", "t-", trustStore.toString(), PASSWORD);

    // When the client pings it, Then the TLS handshake succeeds and the ping answers
    try (OpenSearchTransport transport = OpenSearchClients.transport(connection)) {
      assertThat(OpenSearchClients.client(transport).ping().value()).isTrue();
    }
  }

  @Test
  void withoutTheTruststoreTheHandshakeIsRefused() throws Exception {
    // Given no truststore of its own (the JVM's does not hold the self-signed certificate)
    OpenSearchSettings.Connection connection = new OpenSearchSettings.Connection(url(), "", "", "t-");

    // When the client pings, Then the server is not trusted
    try (OpenSearchTransport transport = OpenSearchClients.transport(connection)) {
      assertThatThrownBy(() -> OpenSearchClients.client(transport).ping())
          .hasStackTraceContaining("PKIX path building failed");
    }
  }

  @Test
  void aWrongPasswordStopsTheServiceAtStartNamingTheKeys() {
    // Given the truststore with a wrong password
    OpenSearchSettings.Connection connection =
        new OpenSearchSettings.Connection(url(), "", "", "t-", trustStore.toString(), "not-the-password");

    // When the transport is built, Then it fails before any request, naming what to fix
    assertThatThrownBy(() -> OpenSearchClients.transport(connection))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("opensearch.truststore.path").hasMessageContaining("opensearch.truststore.password");
  }

  @Test
  void bothServicesReadTheTruststoreKeys() {
    // Given the keys as a deployment sets them
    Map<String, String> values = Map.of("opensearch.url", "https://opensearch:9200",
        "opensearch.truststore.path", "/etc/trajlake/certs/opensearch-ca.p12", "opensearch.truststore.password", "s");

    // Then the indexer and recall both connect with them
    for (OpenSearchSettings.Connection connection : List.of(IndexerConfig.from(Settings.of(values)).openSearch(),
        RecallConfig.from(Settings.of(values)).connection())) {
      assertThat(connection.trustStorePath()).isEqualTo("/etc/trajlake/certs/opensearch-ca.p12");
      assertThat(connection.trustStorePassword()).isEqualTo("s");
    }
  }

  private static String url() {
    return "https://127.0.0.1:" + server.getAddress().getPort();
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
  }
}
