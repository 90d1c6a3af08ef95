package org.trajlake.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;

/**
 * A corpus of bad inputs ({@link BadInputCorpus}) written into the running pipeline ({@code trajlake
 * run all}) between good trajectories: each one is accounted for exactly as documented (the dead
 * letters it makes, by stage and reason; the orphaned-outcomes topic; or a trajectory accepted as it
 * is), no service stops, the good trajectories written after the bad ones still arrive, and per
 * workspace the trajectories produced equal the Iceberg rows and the OpenSearch documents.
 */
@RealServers({Component.KAFKA, Component.REGISTRY, Component.OPENSEARCH, Component.ICEBERG})
class BadInputCorpusIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  @Test
  void everyBadInputIsAccountedForAndTheGoodOnesFlowThrough(Endpoints servers) throws Exception {
    // Given the five services in one process, and good trajectories arriving in two workspaces
    try (TestPipeline pipeline = TestPipeline.provision(servers, "corpus", BadInputCorpus.SETTINGS);
        GoodLoad good = new GoodLoad(pipeline, "good", List.of("corpus-a", "corpus-b"), Duration.ofMillis(50))) {
      ServiceProcess all = pipeline.startAll();
      good.start();
      good.awaitMore(10, TIMEOUT);
      List<BadCase> corpus = new BadInputCorpus(pipeline.topics).cases();
      assertThat(corpus).hasSizeGreaterThanOrEqualTo(30);

      // When every bad input is written, in the middle of the good ones
      try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
          new ByteArraySerializer(), new ByteArraySerializer())) {
        for (BadCase bad : corpus) {
          for (ProducerRecord<byte[], byte[]> record : bad.records) {
            raw.send(record).get();
          }
        }
      }
      good.awaitMore(20, TIMEOUT);
      Map<String, Set<String>> produced = good.stop();

      // Then each bad input made exactly the dead letters documented for it ...
      Map<String, List<String>> expectedLetters = new TreeMap<>();
      Map<String, List<String>> expectedOrphans = new TreeMap<>();
      for (BadCase bad : corpus) {
        if (!bad.deadLetters.isEmpty()) {
          expectedLetters.put(bad.name, bad.deadLetters.stream().sorted().toList());
        }
        if (bad.orphaned > 0) {
          expectedOrphans.put(bad.name, java.util.Collections.nCopies(bad.orphaned, "reward-joiner no-trajectory"));
        }
      }
      try (DeadLetterLog dlq = new DeadLetterLog(servers.bootstrapServers(), pipeline.topics.deadLetters().name(), corpus);
          DeadLetterLog orphans = new DeadLetterLog(servers.bootstrapServers(),
              pipeline.topics.orphanedOutcomes().name(), corpus)) {
        await("every bad input in the dead-letter topic with its reason").atMost(TIMEOUT)
            .untilAsserted(() -> assertThat(dlq.read()).isEqualTo(expectedLetters));
        // ... and the outcome of no trajectory went to the orphaned topic once its window passed
        await("the outcome of no trajectory orphaned").atMost(TIMEOUT)
            .untilAsserted(() -> assertThat(orphans.read()).isEqualTo(expectedOrphans));

        // And the trajectories the bad inputs did not spoil are there, with their steps, as documented
        Map<String, Set<String>> expected = new TreeMap<>(produced);
        Map<String, BadCase.Accepted> accepted = new HashMap<>();
        corpus.stream().filter(bad -> bad.accepted != null).forEach(bad -> {
          expected.computeIfAbsent(bad.accepted.workspace(), w -> new TreeSet<>()).add(bad.accepted.trajectoryId());
          accepted.put(bad.accepted.trajectoryId(), bad.accepted);
        });
        ClosingCheck.awaitEverywhere(pipeline, expected, TIMEOUT);
        await("accepted bad-case trajectories stored as documented").atMost(TIMEOUT).untilAsserted(() -> {
          for (Record row : ClosingCheck.currentRows(pipeline)) {
            BadCase.Accepted expectation = accepted.get((String) row.getField("trajectory_id"));
            if (expectation != null) {
              assertThat(((List<?>) row.getField("steps"))).as(expectation.trajectoryId()).hasSize(expectation.steps());
              assertThat(expectation.row().test(row)).as(expectation.trajectoryId() + ": " + expectation.rowCheck())
                  .isTrue();
            }
          }
        });
        // Nothing more came to either topic meanwhile (a repeat would show here)
        assertThat(dlq.read()).isEqualTo(expectedLetters);
        assertThat(orphans.read()).isEqualTo(expectedOrphans);
      }
      // And no service stopped on the way
      assertThat(all.alive()).as(all.logText()).isTrue();
      assertThat(all.logText()).doesNotContain("stopped:", "Exception in thread");
    }
  }
}
