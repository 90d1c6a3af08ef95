package org.trajlake.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.trajlake.runtime.Settings;
import org.trajlake.schema.Topics;
import org.trajlake.schema.registry.SchemaRegistry;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/k8s says what the code reads, checked without a cluster: a KafkaTopic for every topic the
 * project uses, with its cleanup policy, and every TRAJLAKE_* variable a workload gets is a key of its
 * command. (This module holds the test because it already depends on every service.)
 */
class K8sManifestsTest {
  private static final Path DIR = Path.of("").toAbsolutePath().resolve("../k8s").normalize();

  @Test
  void everyTopicOfTheProjectIsAKafkaTopicWithItsCleanupPolicy() throws IOException {
    // The registry is never called: only names and policies are read.
    Topics topics = Topics.create(Topics.DEFAULT_PREFIX, noRegistry(), false);
    Map<String, String> expected = topics.all().stream()
        .collect(Collectors.toMap(t -> t.name(), t -> t.cleanupPolicy().configValue()));

    Map<String, String> declared = new java.util.HashMap<>();
    for (Map<String, Object> topic : documents("topics.yaml", "KafkaTopic")) {
      Map<String, Object> spec = map(topic.get("spec"));
      declared.put(String.valueOf(spec.get("topicName")), String.valueOf(map(spec.get("config")).get("cleanup.policy")));
      assertThat(spec.get("replicas")).as(spec.get("topicName") + " replicas").isEqualTo(3);
    }
    assertThat(declared).isEqualTo(expected);
  }

  @Test
  void everyTrajlakeVariableOfAWorkloadIsAKeyOfItsCommand() throws IOException {
    Set<String> shared = documents("config.yaml", "ConfigMap").stream()
        .filter(c -> "trajlake-kafka".equals(map(c.get("metadata")).get("name")))
        .flatMap(c -> map(c.get("data")).keySet().stream()).collect(Collectors.toSet());
    List<Map<String, Object>> workloads = new ArrayList<>(documents("services.yaml", "Deployment"));
    workloads.addAll(documents("provision-job.yaml", "Job"));
    assertThat(workloads).hasSize(6);
    for (Map<String, Object> workload : workloads) {
      Map<String, Object> container = map(list(map(map(map(workload.get("spec")).get("template")).get("spec"))
          .get("containers")).get(0));
      List<String> args = list(container.get("args")).stream().map(String::valueOf).toList();
      Set<String> variables = new HashSet<>();
      list(container.getOrDefault("env", List.of())).forEach(e -> variables.add(String.valueOf(map(e).get("name"))));
      if (container.containsKey("envFrom")) {
        variables.addAll(shared);
      }
      variables.removeIf(v -> !v.startsWith("TRAJLAKE_"));
      Set<String> known = CommandKeys.of(args).stream().map(Settings::envVarFor).collect(Collectors.toSet());
      assertThat(known).as(map(workload.get("metadata")).get("name") + " " + args).containsAll(variables);
    }
  }

  private static SchemaRegistry noRegistry() {
    return (SchemaRegistry) java.lang.reflect.Proxy.newProxyInstance(SchemaRegistry.class.getClassLoader(),
        new Class<?>[] {SchemaRegistry.class}, (proxy, method, args) -> {
          throw new UnsupportedOperationException("no registry in this test");
        });
  }

  private static List<Map<String, Object>> documents(String file, String kind) throws IOException {
    try (Reader reader = Files.newBufferedReader(DIR.resolve(file))) {
      return StreamSupport.stream(new Yaml().loadAll(reader).spliterator(), false)
          .filter(d -> d instanceof Map<?, ?> m && kind.equals(m.get("kind")))
          .map(K8sManifestsTest::map).toList();
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return (List<Object>) value;
  }
}
