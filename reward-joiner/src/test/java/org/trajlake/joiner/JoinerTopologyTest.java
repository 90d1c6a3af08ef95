package org.trajlake.joiner;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;
import org.trajlake.runtime.Settings;
import org.trajlake.schema.Topics;
import org.trajlake.schema.registry.InMemorySchemaRegistry;

class JoinerTopologyTest {

  @Test
  void bothInputsFeedOneSubTopologyWithTheFourStoresSoATrajectoryAndItsOutcomesShareATask() {
    // Given the topology under a prefix of its own
    JoinerConfig config = JoinerConfig.from(Settings.of(Map.of("topic.prefix", "lab.")));
    Topics topics = Topics.create("lab.", new InMemorySchemaRegistry(), false);
    Topology topology = JoinerTopology.buildTopology(new StreamsBuilder(), config, topics, new SimpleMeterRegistry());

    // When it is described
    TopologyDescription description = topology.describe();

    // Then it is one sub-topology reading both inputs, holding the four stores, writing three sinks
    assertThat(description.subtopologies()).hasSize(1);
    TopologyDescription.Subtopology join = description.subtopologies().iterator().next();
    assertThat(join.nodes()).filteredOn(node -> node instanceof TopologyDescription.Source)
        .flatExtracting(node -> ((TopologyDescription.Source) node).topicSet())
        .containsExactlyInAnyOrder("lab.trajectories", "lab.outcomes");
    assertThat(join.nodes()).filteredOn(node -> node instanceof TopologyDescription.Processor)
        .flatExtracting(node -> ((TopologyDescription.Processor) node).stores())
        .containsExactlyInAnyOrder(JoinStore.NAMES);
    assertThat(join.nodes()).filteredOn(node -> node instanceof TopologyDescription.Sink)
        .extracting(node -> ((TopologyDescription.Sink) node).topic())
        .containsExactlyInAnyOrder("lab.trajectories.rewarded", "lab.outcomes.orphaned", "lab.dlq");
  }
}
