package org.trajlake.ingest;

import java.util.List;
import org.apache.kafka.streams.StreamsBuilder;
import org.trajlake.runtime.RunningService;
import org.trajlake.runtime.ServiceMain;
import org.trajlake.schema.Topics;

/** Runs ingest-streams: {@code trajlake run ingest}, or this class's main with {@code [--config FILE]}. */
public final class IngestApp {
  public static final String NAME = "ingest-streams";

  private IngestApp() {}

  public static RunningService start(IngestConfig config) {
    Topics topics = Topics.create(config.topicPrefix(), config.serdeConfig());
    return RunningService.start(NAME, config,
        List.of(topics.events().name(), topics.trajectories().name(), topics.deadLetters().name()),
        registry -> IngestTopology.buildTopology(new StreamsBuilder(), config, topics, registry));
  }

  public static void main(String[] args) {
    ServiceMain.run(NAME, args, settings -> start(IngestConfig.from(settings)));
  }
}
