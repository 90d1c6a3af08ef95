package org.trajlake.recall.index;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URISyntaxException;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;

/** Builds opensearch-java clients over Apache HttpClient 5, with basic auth when configured. */
public final class OpenSearchClients {
  private OpenSearchClients() {}

  public static OpenSearchTransport transport(OpenSearchSettings.Connection connection) {
    HttpHost host;
    try {
      host = HttpHost.create(new URI(connection.url()));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("opensearch.url '" + connection.url() + "' is not a URL: " + e.getMessage(), e);
    }
    return ApacheHttpClient5TransportBuilder.builder(host)
        // Vectors are hundreds of floats per document: the JDK 17 Float.toString was a tenth of the
        // indexer's CPU; Jackson's fast writer prints the same shortest decimal.
        .setMapper(new JacksonJsonpMapper(new ObjectMapper(JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build())))
        .setHttpClientConfigCallback(http -> {
          if (!connection.username().isEmpty()) {
            BasicCredentialsProvider credentials = new BasicCredentialsProvider();
            credentials.setCredentials(new AuthScope(host),
                new UsernamePasswordCredentials(connection.username(), connection.password().toCharArray()));
            http.setDefaultCredentialsProvider(credentials);
          }
          // No Nagle: a search is one small request whose reply is awaited; batching its segments only adds delay.
          http.setIOReactorConfig(IOReactorConfig.custom().setTcpNoDelay(true).build());
          // Recall runs its two legs in parallel for many callers: more than the default 5 per route.
          return http.setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
              .setMaxConnPerRoute(64).setMaxConnTotal(64).build());
        })
        .build();
  }

  public static OpenSearchClient client(OpenSearchTransport transport) {
    return new OpenSearchClient(transport);
  }

  public static OpenSearchAsyncClient asyncClient(OpenSearchTransport transport) {
    return new OpenSearchAsyncClient(transport);
  }
}
