package org.trajlake.recall.indexer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch._types.ErrorResponse;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.trajlake.recall.Trajectories;
import org.trajlake.runtime.DeadLetter;
import org.trajlake.schema.TrajectoryStatus;

/** Documents OpenSearch refuses for what they hold go to the dead-letter topic; the rest of the batch is not held up. */
class RejectedDocumentTest {
  @Test
  void aDocumentTheMappingRejectsIsDeadLetteredWithOpenSearchsReasonAndTheBatchIsCommitted() throws Exception {
    try (LoopHarness harness = new LoopHarness()) {
      // Given OpenSearch rejecting the document of b for its mapping
      harness.writer.then(trajectories -> LoopHarness.FakeWriter.withStatus(trajectories, Map.of("b", 400),
          "mapper_parsing_exception", "failed to parse field [reward] of type [double]"));

      // When a batch of three trajectories arrives
      harness.poll(List.of(
          harness.record(Trajectories.coding("a", "ws", "task a", "{}", TrajectoryStatus.SUCCESS)),
          harness.record(Trajectories.coding("b", "ws", "task b", "{}", TrajectoryStatus.SUCCESS)),
          harness.record(Trajectories.coding("c", "ws", "task c", "{}", TrajectoryStatus.SUCCESS))));

      // Then b's original record is on the dead-letter topic with OpenSearch's error, the batch is committed,
      // and nothing was written twice
      harness.awaitCommitted(harness.trajectories, 3);
      assertThat(harness.deadLetters()).hasSize(1);
      ProducerRecord<byte[], byte[]> dead = harness.deadLetters().get(0);
      assertThat(dead.topic()).isEqualTo("t.dlq");
      assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("b");
      DeadLetter letter = DeadLetter.from(dead.headers()).orElseThrow();
      assertThat(letter.reason()).isEqualTo("index-rejected");
      assertThat(letter.stage()).isEqualTo("recall-indexer");
      assertThat(letter.sourceOffset()).isEqualTo(1);
      assertThat(letter.detail()).contains("test-trajectories-000001/b (HTTP 400): mapper_parsing_exception: failed to parse");
      assertThat(harness.writer.requests).hasSize(1);
      assertThat(harness.count("trajlake.dlq", "reason", "index-rejected")).isEqualTo(1);
      assertThat(harness.count("trajlake.indexed", "index", "test-trajectories")).isEqualTo(2);
    }
  }

  @Test
  void aRequestRefusedAsAWholeForItsContentIsSplitSoOnlyTheCulpritIsDeadLettered() throws Exception {
    try (LoopHarness harness = new LoopHarness()) {
      // Given OpenSearch refusing with a 400 any request that holds b (as for a body it cannot parse)
      for (int i = 0; i < 4; i++) {
        harness.writer.then(trajectories -> {
          if (trajectories.stream().anyMatch(t -> t.id().equals("b"))) {
            throw new OpenSearchException(ErrorResponse.of(e -> e.status(400)
                .error(c -> c.type("x_content_parse_exception").reason("unexpected token"))));
          }
          return LoopHarness.FakeWriter.created(trajectories);
        });
      }

      // When a batch of three arrives
      harness.poll(List.of(
          harness.record(Trajectories.coding("a", "ws", "task a", "{}", TrajectoryStatus.SUCCESS)),
          harness.record(Trajectories.coding("b", "ws", "task b", "{}", TrajectoryStatus.SUCCESS)),
          harness.record(Trajectories.coding("c", "ws", "task c", "{}", TrajectoryStatus.SUCCESS))));

      // Then each record is written alone once, b is dead-lettered, and the batch is committed
      harness.awaitCommitted(harness.trajectories, 3);
      assertThat(harness.writer.requests).containsExactly(List.of("a", "b", "c"), List.of("a"), List.of("b"), List.of("c"));
      assertThat(harness.deadLetters()).singleElement()
          .satisfies(dead -> assertThat(DeadLetter.from(dead.headers()).orElseThrow().detail())
              .contains("HTTP 400 x_content_parse_exception: unexpected token"));
    }
  }
}
