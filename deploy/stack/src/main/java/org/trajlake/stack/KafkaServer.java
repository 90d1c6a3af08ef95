package org.trajlake.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/**
 * An Apache Kafka broker in KRaft mode, broker and controller in one process, with a static
 * single-voter quorum: unlike a dynamic quorum, the voter's address is read from the config at
 * every start, so the ports may change between runs over the same data.
 */
final class KafkaServer implements ManagedServer {
  private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(90);
  /** The one user of the SASL/PLAIN listener. */
  static final String SASL_USER = "trajlake";
  static final String SASL_PASSWORD = "trajlake-local";

  private final StackConfig config;
  private final Path home;
  private final Path dir;
  private final JavaRuntime java;

  KafkaServer(StackConfig config, ServerHomes homes, JavaRuntime java) {
    this.config = config;
    this.home = homes.home("kafka", "lib");
    this.dir = config.dataDir().resolve("kafka");
    this.java = java;
  }

  @Override
  public Component component() {
    return Component.KAFKA;
  }

  @Override
  public String address() {
    return bootstrapServers(config);
  }

  static String bootstrapServers(StackConfig config) {
    return config.host() + ":" + config.port(StackSetting.KAFKA_PORT);
  }

  static String saslBootstrapServers(StackConfig config) {
    return config.host() + ":" + config.port(StackSetting.KAFKA_SASL_PORT);
  }

  /**
   * The {@code sasl.jaas.config} of a client of the SASL listener. A local, documented credential: the
   * listener is there to try the services' SASL settings end to end, and the stack's PLAINTEXT
   * listener next to it asks for nothing at all.
   */
  static String saslJaasConfig() {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + SASL_USER
        + "\" password=\"" + SASL_PASSWORD + "\";";
  }

  @Override
  public Map<StackSetting, Integer> ports() {
    Map<StackSetting, Integer> ports = new LinkedHashMap<>();
    ports.put(StackSetting.KAFKA_PORT, config.port(StackSetting.KAFKA_PORT));
    ports.put(StackSetting.KAFKA_CONTROLLER_PORT, config.port(StackSetting.KAFKA_CONTROLLER_PORT));
    ports.put(StackSetting.KAFKA_SASL_PORT, config.port(StackSetting.KAFKA_SASL_PORT));
    return ports;
  }

  @Override
  public void prepare() throws IOException {
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("server.properties"), serverProperties(), StandardCharsets.UTF_8);
    Log4j2Config.write(dir.resolve("log4j2.xml"));
    if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
      format();
    }
  }

  private String serverProperties() {
    String host = config.host();
    int port = config.port(StackSetting.KAFKA_PORT);
    int controller = config.port(StackSetting.KAFKA_CONTROLLER_PORT);
    int sasl = config.port(StackSetting.KAFKA_SASL_PORT);
    Properties props = new Properties();
    props.setProperty("process.roles", "broker,controller");
    props.setProperty("node.id", "1");
    props.setProperty("controller.quorum.voters", "1@" + host + ":" + controller);
    props.setProperty("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controller
        + ",SASL_PLAINTEXT://" + host + ":" + sasl);
    props.setProperty("advertised.listeners", "PLAINTEXT://" + host + ":" + port + ",SASL_PLAINTEXT://" + host + ":"
        + sasl);
    props.setProperty("controller.listener.names", "CONTROLLER");
    props.setProperty("inter.broker.listener.name", "PLAINTEXT");
    props.setProperty("listener.security.protocol.map",
        "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT");
    // A SASL/PLAIN listener beside the open one, so the services' SASL settings (streams.*,
    // consumer.*, producer.*, admin.*) can be tried end to end on this machine.
    props.setProperty("sasl.enabled.mechanisms", "PLAIN");
    props.setProperty("listener.name.sasl_plaintext.plain.sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + SASL_USER + "=\"" + SASL_PASSWORD
            + "\";");
    props.setProperty("log.dirs", dir.resolve("data").toString());
    // One broker: every internal topic has a single replica, and exactly-once transactions need
    // their state log to accept writes with that one replica in sync.
    props.setProperty("offsets.topic.replication.factor", "1");
    props.setProperty("transaction.state.log.replication.factor", "1");
    props.setProperty("transaction.state.log.min.isr", "1");
    props.setProperty("share.coordinator.state.topic.replication.factor", "1");
    props.setProperty("share.coordinator.state.topic.min.isr", "1");
    // Fewer internal partitions than the 50 default: a first consumer group or transaction on a
    // fresh broker is then ready in well under a second.
    props.setProperty("offsets.topic.num.partitions", "12");
    props.setProperty("transaction.state.log.num.partitions", "12");
    props.setProperty("group.initial.rebalance.delay.ms", "0");
    props.setProperty("num.partitions", "6");
    // Topics come from the provisioner with their cleanup policy; a typo in a topic name should
    // fail loudly instead of creating a stray topic.
    props.setProperty("auto.create.topics.enable", "false");
    StringBuilder text = new StringBuilder("# Written by trajlake at every start; edit the stack settings instead.\n");
    props.stringPropertyNames().stream().sorted()
        .forEach(key -> text.append(key).append('=').append(props.getProperty(key)).append('\n'));
    return text.toString();
  }

  /** Formats the metadata log once, with a cluster id kept in the data dir for every later start. */
  private void format() throws IOException {
    Path idFile = dir.resolve("cluster.id");
    if (!Files.exists(idFile)) {
      Files.writeString(idFile, Uuid.randomUuid().toString(), StandardCharsets.UTF_8);
    }
    String clusterId = Files.readString(idFile, StandardCharsets.UTF_8).trim();
    List<String> argv = new ArrayList<>(List.of(java.javaExecutable().toString(),
        "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.xml"),
        "-cp", ServerCommand.allJarsIn(home.resolve("lib")),
        "kafka.tools.StorageTool", "format", "--ignore-formatted",
        "-t", clusterId, "-c", dir.resolve("server.properties").toString()));
    Path log = config.dataDir().resolve("logs").resolve("kafka-format.log");
    Files.createDirectories(log.getParent());
    Process process = new ProcessBuilder(argv).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    try {
      if (!process.waitFor(FORMAT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new StackException("formatting Kafka storage took over " + FORMAT_TIMEOUT.toSeconds() + " s\n"
            + LogTail.format(log, 20));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted while formatting Kafka storage", e);
    }
    if (process.exitValue() != 0) {
      throw new StackException("formatting Kafka storage in " + dir.resolve("data") + " failed (exit "
          + process.exitValue() + ")\n" + LogTail.format(log, 20));
    }
  }

  @Override
  public ServerCommand command() {
    List<String> jvm = List.of(
        "-Xmx" + config.heap(StackSetting.KAFKA_HEAP),
        "-Xms128m",
        "-XX:+UseG1GC",
        "-XX:MaxGCPauseMillis=20",
        "-XX:+ExitOnOutOfMemoryError",
        "-Djava.awt.headless=true",
        "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.xml"));
    return new ServerCommand(java, jvm, List.of(ServerCommand.allJarsIn(home.resolve("lib"))), "kafka.Kafka",
        List.of(dir.resolve("server.properties").toString()), dir);
  }

  @Override
  public Health probe() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, address());
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "trajlake-stack-probe");
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
    try (Admin admin = Admin.create(props)) {
      int brokers = admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000)).nodes()
          .get(4, TimeUnit.SECONDS).size();
      return brokers > 0 ? Health.up(brokers + " broker(s) answer") : Health.down("no broker registered yet");
    } catch (ExecutionException | TimeoutException e) {
      return Health.down("broker not answering at " + address());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Health.down("interrupted");
    }
  }

  @Override
  public String hint() {
    return "check that nothing else uses " + StackSetting.KAFKA_PORT.describe() + ", "
        + StackSetting.KAFKA_CONTROLLER_PORT.describe() + " or " + StackSetting.KAFKA_SASL_PORT.describe()
        + "; a data dir formatted by another cluster is "
        + "refused (\"Invalid cluster.id\"): move " + dir.resolve("data") + " away to start afresh";
  }
}
