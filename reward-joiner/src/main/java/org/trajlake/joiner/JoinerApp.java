package org.trajlake.joiner;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.StreamsBuilder;
import org.trajlake.runtime.CheckAdminProperties;
import org.trajlake.runtime.RunningService;
import org.trajlake.runtime.ServiceMain;
import org.trajlake.schema.Topics;

/**
 * Runs the reward-joiner: {@code <prefix>trajectories} and {@code <prefix>outcomes} to {@code
 * <prefix>trajectories.rewarded}, {@code <prefix>outcomes.orphaned} and {@code <prefix>dlq}.
 */
public final class JoinerApp {
  public static final String NAME = "reward-joiner";
  private static final Duration TOPIC_CHECK_TIMEOUT = Duration.ofSeconds(30);

  private JoinerApp() {}

  /** Starts the joiner with its Prometheus endpoint; close the result to stop it. */
  public static RunningService start(JoinerConfig config) {
    Topics topics = Topics.create(config.topicPrefix(), config.serdeConfig());
    requireCoPartitioned(config.streamsProperties(), topics);
    return RunningService.start(NAME, config, List.of(topics.trajectories().name(), topics.outcomes().name()),
        registry -> JoinerTopology.buildTopology(new StreamsBuilder(), config, topics, registry));
  }

  /** {@code [--config FILE]}; stops cleanly on SIGTERM or Ctrl-C. */
  public static void main(String[] args) {
    ServiceMain.run(NAME, args, settings -> start(JoinerConfig.from(settings)));
  }

  /**
   * Fails, naming both topics, when the inputs have different partition counts: the join reads a
   * trajectory and its outcomes in one task only when both topics place a key on the same partition
   * number. Kafka Streams checks this for DSL joins, not for a processor fed by two sources.
   */
  private static void requireCoPartitioned(Properties streamsProperties, Topics topics) {
    String trajectories = topics.trajectories().name();
    String outcomes = topics.outcomes().name();
    Map<String, Object> adminProperties = CheckAdminProperties.from(streamsProperties, TOPIC_CHECK_TIMEOUT);
    String bootstrapServers = CheckAdminProperties.bootstrapServers(adminProperties);
    try (Admin admin = Admin.create(adminProperties)) {
      Map<String, TopicDescription> described = admin.describeTopics(List.of(trajectories, outcomes))
          .allTopicNames().get(TOPIC_CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      int trajectoryPartitions = described.get(trajectories).partitions().size();
      int outcomePartitions = described.get(outcomes).partitions().size();
      if (trajectoryPartitions != outcomePartitions) {
        throw new IllegalStateException(trajectories + " has " + trajectoryPartitions + " partitions but " + outcomes
            + " has " + outcomePartitions + ": the joiner needs them co-partitioned (the same partition count, keys "
            + "placed by the default partitioner)");
      }
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
        throw new IllegalStateException("cannot describe " + trajectories + " and " + outcomes + " on "
            + bootstrapServers + " (bootstrap.servers): " + e.getCause().getMessage(), e.getCause());
      }
      // A missing topic is reported, with what to do, by RunningService's own check.
    } catch (TimeoutException e) {
      throw new IllegalStateException("cannot reach Kafka at " + bootstrapServers + " (bootstrap.servers) within "
          + TOPIC_CHECK_TIMEOUT.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking the input topics", e);
    }
  }
}
