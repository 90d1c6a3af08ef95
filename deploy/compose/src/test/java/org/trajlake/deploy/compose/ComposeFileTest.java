package org.trajlake.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.trajlake.ingest.IngestConfig;
import org.trajlake.joiner.JoinerConfig;
import org.trajlake.recall.RecallConfig;
import org.trajlake.recall.indexer.IndexerConfig;
import org.trajlake.runtime.Settings;
import org.trajlake.sink.SinkConfig;
import org.yaml.snakeyaml.Yaml;

/**
 * The compose files say what the code reads, checked without Docker: every {@code TRAJLAKE_*} variable
 * a service is given is the variable of a key its command defines (a typo would be silently ignored at
 * run time), each service's settings (variables plus its conf/ file) build its config, and every
 * image, Dockerfile and mounted path exists or is pinned.
 */
class ComposeFileTest {
  private static final Path DIR = Path.of("").toAbsolutePath();
  private static final Map<String, Consumer<Settings>> CONFIGS = Map.of(
      "ingest", IngestConfig::from, "joiner", JoinerConfig::from, "indexer", IndexerConfig::from,
      "recall", RecallConfig::from, "sink", SinkConfig::from);

  @Test
  void everyTrajlakeVariableIsAKeyOfTheServiceItIsGivenTo() throws IOException {
    for (Path file : List.of(DIR.resolve("docker-compose.yml"), DIR.resolve("docker-compose.opensearch-security.yml"))) {
      Map<String, Map<String, Object>> base = services(DIR.resolve("docker-compose.yml"));
      services(file).forEach((name, service) -> {
        List<String> command = command(base.getOrDefault(name, service));
        Set<String> variables = environment(service).keySet().stream().filter(v -> v.startsWith("TRAJLAKE_"))
            .collect(Collectors.toSet());
        if (command.isEmpty()) {
          assertThat(variables).as(file.getFileName() + ": " + name).isEmpty();
          return;
        }
        Set<String> known = CommandKeys.of(command).stream().map(Settings::envVarFor).collect(Collectors.toSet());
        assertThat(known).as(file.getFileName() + ": variables of " + name + " (" + command + ")")
            .containsAll(variables);
      });
    }
  }

  @Test
  void eachServiceBuildsItsConfigFromItsVariablesAndItsConfFile() throws IOException {
    services(DIR.resolve("docker-compose.yml")).forEach((name, service) -> {
      List<String> command = command(service);
      if (command.size() < 2 || !command.get(0).equals("run")) {
        return;
      }
      Path conf = confFile(command);
      assertThat(conf).as(name + " --config").isRegularFile();
      Map<String, String> env = new LinkedHashMap<>();
      environment(service).forEach((key, value) -> env.put(key, String.valueOf(value)));
      // Throws, naming the key, when a value is invalid (an API key too short, an unknown hybrid mode).
      CONFIGS.get(command.get(1)).accept(Settings.load(Map.of(), env, Optional.of(conf)));
    });
  }

  @Test
  void imagesArePinnedAndBuildPathsAndMountsExist() throws IOException {
    for (String file : List.of("docker-compose.yml", "docker-compose.opensearch-security.yml")) {
      services(DIR.resolve(file)).forEach((name, service) -> {
        String image = String.valueOf(service.getOrDefault("image", ""));
        if (!image.isEmpty() && !image.startsWith("${TRAJLAKE_IMAGE")) {
          assertThat(image).as(file + ": " + name).contains(":").doesNotEndWith(":latest");
        }
        if (service.get("build") instanceof Map<?, ?> build) {
          Path context = DIR.resolve(String.valueOf(build.get("context"))).normalize();
          assertThat(context.resolve(String.valueOf(build.get("dockerfile")))).as(file + ": " + name).isRegularFile();
        }
        if (service.get("volumes") instanceof List<?> volumes) {
          volumes.stream().map(String::valueOf).filter(v -> v.startsWith("./"))
              .forEach(v -> assertThat(DIR.resolve(v.substring(0, v.indexOf(':')))).as(file + ": " + name).exists());
        }
      });
    }
  }

  private static Path confFile(List<String> command) {
    String inContainer = command.get(command.indexOf("--config") + 1);
    return DIR.resolve("conf").resolve(inContainer.substring("/etc/trajlake/".length()));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> services(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file)) {
      Map<String, Object> compose = new Yaml().load(reader);
      return (Map<String, Map<String, Object>>) compose.get("services");
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> command(Map<String, Object> service) {
    return service.get("command") instanceof List<?> list && String.valueOf(service.get("image")).contains("TRAJLAKE_IMAGE")
        ? (List<String>) list : List.of();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> environment(Map<String, Object> service) {
    return service.get("environment") instanceof Map<?, ?> env ? (Map<String, Object>) env : Map.of();
  }
}
