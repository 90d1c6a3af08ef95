package org.trajlake.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

  @Test
  void factsTravelAsReadableHeadersAndComeBack() {
    // Given a dead letter written onto headers that already carry a trace id
    RecordHeaders headers = new RecordHeaders();
    headers.add("traceparent", "t".getBytes(StandardCharsets.UTF_8));
    DeadLetter letter = new DeadLetter("negative-seq", "seq is -1", "ingest-streams", "trajlake.events", 3, 42L,
        Instant.parse("2026-11-21T10:00:00Z"));

    // When read back
    letter.addTo(headers);

    // Then the facts are plain text, round-trip, and the original header stays
    assertThat(new String(headers.lastHeader(DeadLetter.SOURCE_OFFSET).value(), StandardCharsets.UTF_8)).isEqualTo("42");
    assertThat(DeadLetter.from(headers)).contains(letter);
    assertThat(headers.lastHeader("traceparent")).isNotNull();
  }

  @Test
  void writingTwiceKeepsOneSetOfFacts() {
    RecordHeaders headers = new RecordHeaders();
    new DeadLetter("a", "", "s", "t", 0, 0, Instant.EPOCH).addTo(headers);
    new DeadLetter("b", "", "s", "t", 0, 0, Instant.EPOCH).addTo(headers);

    assertThat(headers.headers(DeadLetter.REASON)).hasSize(1);
    assertThat(DeadLetter.from(headers).orElseThrow().reason()).isEqualTo("b");
  }

  @Test
  void headersWithoutAReasonAreNoDeadLetter() {
    assertThat(DeadLetter.from(new RecordHeaders())).isEmpty();
  }
}
