package org.trajlake.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The few plain HTTP calls the probes make. */
final class Http {
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2))
      .version(HttpClient.Version.HTTP_1_1)
      .build();

  private Http() {}

  record Response(int status, String body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  static Response get(String url) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(url)).GET());
  }

  static Response put(String url, String contentType, String body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", contentType)
        .PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response = CLIENT.send(request.timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), response.body());
  }

  /** Probes treat a refused connection as "not up yet", never as an error. */
  static Health probe(String url, String what) {
    try {
      Response response = get(url);
      return response.ok() ? Health.up(what + " answers") : Health.down(what + " answered HTTP " + response.status());
    } catch (IOException e) {
      return Health.down(what + " not reachable at " + url);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Health.down("interrupted");
    }
  }
}
