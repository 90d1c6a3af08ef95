package org.trajlake.cli.faults;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** One recall over HTTP, as an agent asks: the status code and the body. */
record RecallProbe(int status, String body) {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  static RecallProbe ask(int port, String workspace, String query) {
    String request = "{\"workspace\":\"" + workspace + "\",\"query\":\"" + query + "\",\"k\":5,\"mode\":\"bm25\"}";
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/recall"))
          .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(request)).build(), HttpResponse.BodyHandlers.ofString());
      return new RecallProbe(response.statusCode(), response.body());
    } catch (java.io.IOException e) {
      return new RecallProbe(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new RecallProbe(-1, e.toString());
    }
  }
}
