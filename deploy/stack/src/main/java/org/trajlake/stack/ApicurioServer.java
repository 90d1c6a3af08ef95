package org.trajlake.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Apicurio Registry, the released Quarkus app, on H2 file storage under the data dir so schemas
 * survive restarts. Clients use its Confluent-compatible API; global compatibility is BACKWARD.
 */
final class ApicurioServer implements ManagedServer {
  static final String CCOMPAT_PATH = "/apis/ccompat/v7";
  private static final String COMPATIBILITY = "BACKWARD";

  private final StackConfig config;
  private final Path home;
  private final Path dir;
  private final JavaRuntime java;

  ApicurioServer(StackConfig config, ServerHomes homes, JavaRuntime java) {
    this.config = config;
    this.home = homes.home("apicurio", "quarkus-run.jar");
    this.dir = config.dataDir().resolve("registry");
    this.java = java;
  }

  @Override
  public Component component() {
    return Component.REGISTRY;
  }

  @Override
  public String address() {
    return registryUrl(config);
  }

  static String registryUrl(StackConfig config) {
    return "http://" + config.host() + ":" + config.port(StackSetting.REGISTRY_PORT) + CCOMPAT_PATH;
  }

  private String managementUrl() {
    return "http://" + config.host() + ":" + config.port(StackSetting.REGISTRY_MANAGEMENT_PORT);
  }

  @Override
  public Map<StackSetting, Integer> ports() {
    Map<StackSetting, Integer> ports = new LinkedHashMap<>();
    ports.put(StackSetting.REGISTRY_PORT, config.port(StackSetting.REGISTRY_PORT));
    ports.put(StackSetting.REGISTRY_MANAGEMENT_PORT, config.port(StackSetting.REGISTRY_MANAGEMENT_PORT));
    return ports;
  }

  @Override
  public void prepare() throws IOException {
    Files.createDirectories(dir.resolve("tmp"));
  }

  @Override
  public ServerCommand command() {
    String host = config.host();
    List<String> jvm = List.of(
        "-Xmx" + config.heap(StackSetting.REGISTRY_HEAP),
        "-XX:+UseSerialGC",
        "-XX:+ExitOnOutOfMemoryError",
        "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
        "-Djava.io.tmpdir=" + dir.resolve("tmp"),
        "-Dquarkus.http.host=" + host,
        "-Dquarkus.http.port=" + config.port(StackSetting.REGISTRY_PORT),
        // The management interface otherwise binds 0.0.0.0:9000.
        "-Dquarkus.management.host=" + host,
        "-Dquarkus.management.port=" + config.port(StackSetting.REGISTRY_MANAGEMENT_PORT),
        "-Dquarkus.http.access-log.enabled=false",
        "-Dapicurio.rules.global.compatibility=" + COMPATIBILITY,
        "-Dapicurio.storage.snapshot.location=" + dir.resolve("tmp"),
        "-Dapicurio.datasource.url=jdbc:h2:file:" + dir.resolve("registry"),
        // The app's pool defaults (20 idle connections) are sized for a shared database server.
        "-Dapicurio.datasource.jdbc.initial-size=2",
        "-Dapicurio.datasource.jdbc.min-size=2",
        "-Dapicurio.datasource.jdbc.max-size=20");
    return new ServerCommand(java, jvm, List.of(home.resolve("quarkus-run.jar").toString()),
        "io.quarkus.bootstrap.runner.QuarkusEntryPoint", List.of(), dir);
  }

  @Override
  public Health probe() {
    Health ready = Http.probe(managementUrl() + "/health/ready", "registry readiness");
    return ready.healthy() ? Http.probe(address() + "/subjects", "registry Confluent API") : ready;
  }

  /** The rule is also a start flag; setting it through the API makes it explicit and persistent. */
  @Override
  public void afterHealthy() {
    try {
      Http.Response response = Http.put(address() + "/config", "application/vnd.schemaregistry.v1+json",
          "{\"compatibility\":\"" + COMPATIBILITY + "\"}");
      if (!response.ok()) {
        throw new StackException("setting the registry's global compatibility to " + COMPATIBILITY
            + " failed: HTTP " + response.status() + " " + response.body());
      }
    } catch (IOException e) {
      throw new StackException("setting the registry's global compatibility failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted while configuring the registry", e);
    }
  }

  @Override
  public String hint() {
    return "the registry runs on " + java.home() + " (Java " + java.featureVersion() + "); check that nothing "
        + "else uses " + StackSetting.REGISTRY_PORT.describe() + " or " + StackSetting.REGISTRY_MANAGEMENT_PORT.describe();
  }
}
