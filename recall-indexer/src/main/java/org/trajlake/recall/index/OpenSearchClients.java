package org.trajlake.recall.index;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;

/**
 * Builds opensearch-java clients over Apache HttpClient 5, with basic auth and a truststore of their own
 * when configured. An https URL without a truststore trusts what the JVM trusts.
 */
public final class OpenSearchClients {
  /** A connection that takes longer than this will not come: the host is gone or a firewall drops it. */
  private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private OpenSearchClients() {}

  public static OpenSearchTransport transport(OpenSearchSettings.Connection connection) {
    HttpHost host;
    try {
      host = HttpHost.create(new URI(connection.url()));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("opensearch.url '" + connection.url() + "' is not a URL: " + e.getMessage(), e);
    }
    // Loaded before any client exists, so a wrong path or password stops the service at start.
    SSLContext tls = connection.trustStorePath().isEmpty() ? null
        : trustingOnly(Path.of(connection.trustStorePath()), connection.trustStorePassword());
    return ApacheHttpClient5TransportBuilder.builder(host)
        // Vectors are hundreds of floats per document: the JDK 17 Float.toString was a tenth of the
        // indexer's CPU; Jackson's fast writer prints the same shortest decimal.
        .setMapper(new JacksonJsonpMapper(new ObjectMapper(fastJson())))
        .setHttpClientConfigCallback(http -> {
          if (!connection.username().isEmpty()) {
            BasicCredentialsProvider credentials = new BasicCredentialsProvider();
            credentials.setCredentials(new AuthScope(host),
                new UsernamePasswordCredentials(connection.username(), connection.password().toCharArray()));
            http.setDefaultCredentialsProvider(credentials);
          }
          // No Nagle: a search is one small request whose reply is awaited; batching its segments only adds delay.
          http.setIOReactorConfig(IOReactorConfig.custom().setTcpNoDelay(true).build());
          // HttpClient 5.6 asks for gzip, zstd or deflate by default, and OpenSearch then compresses every
          // answer on its own CPU: a search returning 200 KB of steps took 14.4 ms with gzip against 9.0 ms
          // without. The answers cross a local network; the CPU is what the node is short of.
          http.disableContentCompression();
          // Recall runs its two legs in parallel for many callers: more than the default 5 per route.
          PoolingAsyncClientConnectionManagerBuilder connections = PoolingAsyncClientConnectionManagerBuilder.create()
              .setMaxConnPerRoute(64).setMaxConnTotal(64).setDefaultConnectionConfig(timeouts(connection.timeout()));
          if (tls != null) {
            connections.setTlsStrategy(ClientTlsStrategyBuilder.create().setSslContext(tls).build());
          }
          return http.setConnectionManager(connections.build());
        })
        .build();
  }

  /**
   * Timeouts for a connection manager of our own: the builder sets them only on the manager it
   * makes itself, and HttpClient's default is to wait for an answer forever. A bulk request to a
   * node that took it and then hung held the indexer's loop with no error and no end.
   */
  static ConnectionConfig timeouts(Duration timeout) {
    return ConnectionConfig.custom()
        .setConnectTimeout(Timeout.ofMilliseconds(Math.min(timeout.toMillis(), MAX_CONNECT_TIMEOUT.toMillis())))
        .setSocketTimeout(Timeout.ofMilliseconds(timeout.toMillis()))
        .build();
  }

  /** A JSON factory printing floats and doubles with Jackson's fast writer: the same shortest decimal. */
  static JsonFactory fastJson() {
    return JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
  }

  /** A TLS context that trusts the certificates of {@code path} (PKCS12 or JKS, detected) and nothing else. */
  static SSLContext trustingOnly(Path path, String password) {
    try {
      KeyStore trusted = KeyStore.getInstance(path.toFile(), password.toCharArray());
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read the truststore " + path + " (" + OpenSearchSettings.TRUSTSTORE_PATH
          + ", " + OpenSearchSettings.TRUSTSTORE_PASSWORD + "): " + e.getMessage(), e);
    }
  }

  public static OpenSearchClient client(OpenSearchTransport transport) {
    return new OpenSearchClient(transport);
  }

  public static OpenSearchAsyncClient asyncClient(OpenSearchTransport transport) {
    return new OpenSearchAsyncClient(transport);
  }
}
