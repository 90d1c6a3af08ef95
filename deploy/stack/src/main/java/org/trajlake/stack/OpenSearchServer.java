package org.trajlake.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.trajlake.stack.launch.OpenSearchMain;

/**
 * A single OpenSearch node with the k-NN plugin. Only the Lucene k-NN engine exists here (the
 * faiss and nmslib native libraries are not on Maven Central), so every knn_vector mapping must
 * name {@code engine: lucene}.
 */
final class OpenSearchServer implements ManagedServer {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StackConfig config;
  private final Path home;
  private final Path dir;
  private final JavaRuntime java;

  OpenSearchServer(StackConfig config, ServerHomes homes, JavaRuntime java) {
    this.config = config;
    this.home = homes.home("opensearch", "plugins/opensearch-knn");
    this.dir = config.dataDir().resolve("opensearch");
    this.java = java;
  }

  @Override
  public Component component() {
    return Component.OPENSEARCH;
  }

  @Override
  public String address() {
    return openSearchUrl(config);
  }

  static String openSearchUrl(StackConfig config) {
    return "http://" + config.host() + ":" + config.port(StackSetting.OPENSEARCH_PORT);
  }

  @Override
  public Map<StackSetting, Integer> ports() {
    Map<StackSetting, Integer> ports = new LinkedHashMap<>();
    ports.put(StackSetting.OPENSEARCH_PORT, config.port(StackSetting.OPENSEARCH_PORT));
    ports.put(StackSetting.OPENSEARCH_TRANSPORT_PORT, config.port(StackSetting.OPENSEARCH_TRANSPORT_PORT));
    return ports;
  }

  @Override
  public void prepare() throws IOException {
    Files.createDirectories(dir.resolve("data"));
    Files.createDirectories(dir.resolve("logs"));
    Files.createDirectories(dir.resolve("tmp"));
    Files.createDirectories(dir.resolve("config"));
    Files.writeString(dir.resolve("config").resolve("opensearch.yml"), settings(), StandardCharsets.UTF_8);
    Log4j2Config.write(dir.resolve("config").resolve("log4j2-trajlake.xml"));
  }

  private String settings() {
    return String.join("\n",
        "# Written by trajlake at every start; edit the stack settings instead.",
        "cluster.name: trajlake",
        "node.name: trajlake-0",
        "path.data: " + dir.resolve("data"),
        "path.logs: " + dir.resolve("logs"),
        "network.host: " + config.host(),
        "http.port: " + config.port(StackSetting.OPENSEARCH_PORT),
        "transport.port: " + config.port(StackSetting.OPENSEARCH_TRANSPORT_PORT),
        "discovery.type: single-node",
        // A laptop disk past 90% full must not turn every index read-only.
        "cluster.routing.allocation.disk.threshold_enabled: false",
        "",
        "");
  }

  @Override
  public ServerCommand command() {
    String heap = config.heap(StackSetting.OPENSEARCH_HEAP);
    List<String> jvm = new ArrayList<>(List.of(
        "-Xms" + heap,
        "-Xmx" + heap,
        "-XX:+UseG1GC",
        "-XX:+ExitOnOutOfMemoryError",
        "-Djava.io.tmpdir=" + dir.resolve("tmp"),
        "-Djava.awt.headless=true",
        "-Dfile.encoding=UTF-8",
        "-Dlog4j2.configurationFile=" + dir.resolve("config").resolve("log4j2-trajlake.xml"),
        "-Dlog4j2.disable.jmx=true",
        "-Dlog4j.shutdownHookEnabled=false",
        "-Dio.netty.noUnsafe=true",
        "-Dio.netty.recycler.maxCapacityPerThread=0",
        // Lucene's vectorized HNSW distance functions live in the incubating Vector API.
        "--add-modules=jdk.incubator.vector",
        "--enable-native-access=ALL-UNNAMED"));
    List<String> classpath = new ArrayList<>();
    ServerHomes.codeLocation().ifPresent(location -> classpath.add(location.toString()));
    classpath.add(ServerCommand.allJarsIn(home.resolve("lib")));
    classpath.add(ServerCommand.allJarsIn(home.resolve("plugins").resolve("opensearch-knn")));
    return new ServerCommand(java, jvm, classpath, OpenSearchMain.class.getName(), List.of(dir.toString()), dir);
  }

  @Override
  public Health probe() {
    try {
      Http.Response response = Http.get(address() + "/_cluster/health");
      if (!response.ok()) {
        return Health.down("cluster health answered HTTP " + response.status());
      }
      JsonNode health = JSON.readTree(response.body());
      String status = health.path("status").asText("unknown");
      return "red".equals(status) ? Health.down("cluster status red") : Health.up("cluster status " + status);
    } catch (IOException e) {
      return Health.down("not reachable at " + address());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Health.down("interrupted");
    }
  }

  @Override
  public String hint() {
    return "OpenSearch runs on " + java.home() + " (Java " + java.featureVersion() + ") with -Xmx"
        + config.heap(StackSetting.OPENSEARCH_HEAP) + " (" + StackSetting.OPENSEARCH_HEAP.describe() + "); check that "
        + "nothing else uses " + StackSetting.OPENSEARCH_PORT.describe() + " or "
        + StackSetting.OPENSEARCH_TRANSPORT_PORT.describe();
  }
}
