package org.trajlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.trajlake.schema.Topic;
import org.trajlake.schema.Topics;
import org.trajlake.schema.registry.HttpSchemaRegistry;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;
import org.trajlake.testkit.TestKafka;

/** {@code trajlake provision} against a real broker and registry, as a deployment's init step runs it. */
@RealServers({Component.KAFKA, Component.REGISTRY})
class ProvisionIT {
  @Test
  void createsEveryTopicWithItsPartitionsAndRegistersEverySchemaThenChangesNothingTheSecondTime(Endpoints servers)
      throws Exception {
    // When provision runs twice for a fresh prefix with 3 partitions
    String prefix = TestKafka.uniquePrefix("provision");
    String[] args = {"provision", "--set", "bootstrap.servers=" + servers.bootstrapServers(), "--set",
        "schema.registry.url=" + servers.registryUrl(), "--set", "topic.prefix=" + prefix, "--set", "partitions=3"};
    CliRun first = CliRun.of(args);
    CliRun second = CliRun.of(args);

    // Then the first created every topic with 3 partitions and the second found them as they were
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(second.exitCode()).as(second.err()).isZero();
    Topics topics = Topics.create(prefix, HttpSchemaRegistry.builder(servers.registryUrl()).build(), false);
    Set<String> names = topics.all().stream().map(Topic::name).collect(java.util.stream.Collectors.toSet());
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers.bootstrapServers()))) {
      Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
      assertThat(described).hasSize(names.size());
      described.values().forEach(t -> assertThat(t.partitions()).as(t.name()).hasSize(3));
    }
    // and every value schema is registered; the second run registered nothing new
    assertThat(first.out()).contains("(registered now)").contains("compatibility BACKWARD");
    assertThat(second.out()).doesNotContain("(registered now)");
    for (String name : names) {
      assertThat(first.out()).contains(name);
    }
  }
}
