package org.trajlake.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.trajlake.schema.Topics;
import org.trajlake.schema.provision.SchemaProvisioner;
import org.trajlake.schema.provision.SchemaProvisioningReport;
import org.trajlake.schema.provision.TopicProvisioner;
import org.trajlake.schema.provision.TopicProvisioningReport;
import org.trajlake.schema.registry.HttpSchemaRegistry;
import org.trajlake.schema.registry.SchemaRegistry;
import org.trajlake.stack.Component;
import org.trajlake.stack.ComponentStatus;
import org.trajlake.stack.Endpoints;
import org.trajlake.stack.LocalStack;
import org.trajlake.stack.StackConfig;
import org.trajlake.stack.StackListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "up", mixinStandardHelpOptions = true,
    description =
        "Start the local stack: a Kafka KRaft broker, Apicurio Registry, an OpenSearch node with k-NN and the "
        + "Iceberg catalog, as processes on this machine; create the topics and register the schemas. "
        + "Whatever already runs is left alone; data survives `trajlake down` then `trajlake up`.")
final class UpCommand implements Callable<Integer> {
  static final int TOPIC_MISCONFIGURED = 4;

  @Spec
  CommandSpec spec;

  @Option(names = "--partitions", paramLabel = "N", defaultValue = "${env:TRAJLAKE_PARTITIONS:-6}",
      description = "Partitions of each topic it creates (the unit of scale-out). Default: 6. Env: TRAJLAKE_PARTITIONS.")
  int partitions;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    StackConfig config = StackOptions.config(spec, System.getenv());
    LocalStack stack = new LocalStack(config);
    long started = System.nanoTime();
    out.println("Starting the local stack in " + config.dataDir() + " (logs in " + stack.endpoints().logsDir() + ") ...");
    out.flush();
    List<ComponentStatus> status = stack.up(Component.all(), new Progress(out));
    Endpoints endpoints = stack.endpoints();

    Provisioned provisioned = provision(endpoints, partitions);
    TopicProvisioningReport topicReport = provisioned.topics();
    SchemaProvisioningReport schemaReport = provisioned.schemas();

    out.println();
    StatusTable.print(out, status);
    out.println();
    provisioned.print(out, partitions + " partitions when created here", "");
    out.println("Iceberg catalog '" + endpoints.icebergCatalogName() + "', namespace '" + endpoints.icebergNamespace()
        + "', warehouse " + endpoints.dataDir().resolve("warehouse"));
    out.println();
    out.printf("Ready in %.1f s. Data dir %s. Stop with: trajlake down%n",
        (System.nanoTime() - started) / 1e9, config.dataDir());
    out.flush();
    return topicReport.hasMismatches() ? TOPIC_MISCONFIGURED : 0;
  }

  /** What provisioning found and did. */
  record Provisioned(Topics topicNames, TopicProvisioningReport topics, SchemaProvisioningReport schemas) {
    /** The topics and the schemas' subjects and ids, marking what was made now. */
    void print(PrintWriter out, String topicsNote, String schemasNote) {
      out.println("Topics (" + topicsNote + ")");
      out.println("  " + topics.summary().replace("\n", "\n  "));
      out.println("Schemas (registry subject = schema id" + schemasNote + ")");
      Map<String, Integer> subjects = new TreeMap<>(schemas.existing());
      subjects.putAll(schemas.registered());
      subjects.forEach((subject, id) -> out.println("  " + subject + " = " + id
          + (schemas.registered().containsKey(subject) ? " (registered now)" : "")));
    }
  }

  /** Creates the local stack's topics (with {@code partitions} when created here) and registers the schemas. */
  static Provisioned provision(Endpoints endpoints, int partitions) {
    return provision(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers()),
        HttpSchemaRegistry.builder(endpoints.registryUrl()).build(), Topics.DEFAULT_PREFIX, partitions,
        TopicProvisioner.DEFAULT_REPLICATION_FACTOR, Duration.ofSeconds(30));
  }

  /** Creates the missing topics under {@code prefix} with the admin client {@code admin} and registers the schemas. */
  static Provisioned provision(Map<String, Object> admin, SchemaRegistry registry, String prefix, int partitions,
      short replicationFactor, Duration timeout) {
    Topics topics = Topics.create(prefix, registry, false);
    TopicProvisioningReport topicReport;
    try (Admin client = Admin.create(admin)) {
      topicReport = new TopicProvisioner(client, partitions, replicationFactor, timeout).provision(topics.all());
    }
    return new Provisioned(topics, topicReport, new SchemaProvisioner(registry).provision(topics.all()));
  }

  /** One line per server as it starts and as it turns healthy. */
  static final class Progress implements StackListener {
    private final PrintWriter out;

    Progress(PrintWriter out) {
      this.out = out;
    }

    @Override
    public synchronized void started(Component component, long pid) {
      line(component, "starting (pid " + pid + ")");
    }

    @Override
    public synchronized void alreadyRunning(Component component, long pid) {
      line(component, "already running (pid " + pid + ")");
    }

    @Override
    public synchronized void healthy(Component component, Duration sinceUp) {
      line(component, String.format("healthy after %.1f s", sinceUp.toMillis() / 1000.0));
    }

    private void line(Component component, String what) {
      out.printf("  %-11s %s%n", component.id(), what);
      out.flush();
    }
  }
}
