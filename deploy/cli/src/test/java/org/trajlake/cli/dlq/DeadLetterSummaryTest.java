package org.trajlake.cli.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.trajlake.runtime.DeadLetter;

class DeadLetterSummaryTest {
  private static DeadLetterSummary.Entry letter(String stage, String reason, int partition, long offset, int second) {
    return new DeadLetterSummary.Entry(new DeadLetter(reason, reason + " at " + offset, stage, "trajlake.steps", partition,
        offset, Instant.parse("2026-11-21T10:00:00Z").plusSeconds(second)), "t-" + offset, 10);
  }

  @Test
  void aRecordDeadLetteredAgainAfterARestartCountsOnceAndItsRepeatApart() {
    // Given the same source record dead-lettered twice by one stage, and once by another stage
    DeadLetterSummary summary = new DeadLetterSummary(10);
    summary.add(letter("recall-indexer", "index-rejected", 0, 7, 1));
    summary.add(letter("recall-indexer", "index-rejected", 0, 7, 5));
    summary.add(letter("iceberg-sink", "index-rejected", 0, 7, 6));

    // Then there are three dead letters of two refused records, one repeat
    assertThat(summary.deadLetters()).isEqualTo(3);
    assertThat(summary.records()).isEqualTo(2);
    assertThat(summary.repeats()).isEqualTo(1);
    assertThat(summary.reasons()).extracting(r -> r.kind().stage() + " " + r.records())
        .containsExactly("iceberg-sink 1", "recall-indexer 1");
  }

  @Test
  void reasonsComeMostFirstWithTheirFirstAndLastTimeAndTheLastDetail() {
    // Given three records of one reason and one of another, read out of time order
    DeadLetterSummary summary = new DeadLetterSummary(10);
    summary.add(letter("ingest-streams", "negative-seq", 0, 2, 30));
    summary.add(letter("ingest-streams", "negative-seq", 1, 1, 10));
    summary.add(letter("ingest-streams", "late", 0, 3, 20));
    summary.add(letter("ingest-streams", "negative-seq", 1, 4, 20));

    // Then negative-seq leads with 3 records, spanning 10 s to 30 s, its detail the one at 30 s
    DeadLetterSummary.Reason first = summary.reasons().get(0);
    assertThat(first.kind()).isEqualTo(new DeadLetterSummary.Kind("ingest-streams", "negative-seq"));
    assertThat(first.records()).isEqualTo(3);
    assertThat(first.first()).isEqualTo(Instant.parse("2026-11-21T10:00:10Z"));
    assertThat(first.last()).isEqualTo(Instant.parse("2026-11-21T10:00:30Z"));
    assertThat(first.lastDetail()).isEqualTo("negative-seq at 2");
    assertThat(summary.reasons().get(1).records()).isEqualTo(1);
  }

  @Test
  void theLatestAreTheNewestByTimeAcrossPartitionsOldestFirst() {
    // Given five records over two partitions, read partition by partition
    DeadLetterSummary summary = new DeadLetterSummary(3);
    summary.add(letter("ingest-streams", "late", 0, 1, 50));
    summary.add(letter("ingest-streams", "late", 0, 2, 10));
    summary.add(letter("ingest-streams", "late", 0, 3, 40));
    summary.add(letter("ingest-streams", "late", 1, 1, 20));
    summary.add(letter("ingest-streams", "late", 1, 2, 30));

    // Then the three newest by dead-letter time are kept, oldest first
    assertThat(summary.latest()).extracting(e -> e.letter().sourcePartition() + "@" + e.letter().sourceOffset())
        .containsExactly("1@2", "0@3", "0@1");
  }

  @Test
  void aRecordWithoutDeadLetterHeadersIsCountedButNotAReason() {
    // Given a record something else wrote to the topic
    DeadLetterSummary summary = new DeadLetterSummary(3);
    summary.add(new DeadLetterSummary.Entry(null, "k", 3));

    // Then it counts as a dead letter without headers, not as a refused record
    assertThat(summary.deadLetters()).isEqualTo(1);
    assertThat(summary.withoutHeaders()).isEqualTo(1);
    assertThat(summary.records()).isZero();
    assertThat(summary.reasons()).isEmpty();
    assertThat(summary.latest()).isEmpty();
  }
}
