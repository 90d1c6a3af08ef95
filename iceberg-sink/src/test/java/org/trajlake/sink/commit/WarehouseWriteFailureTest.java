package org.trajlake.sink.commit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;

/**
 * A batch whose files cannot be written (the warehouse refuses them for a while) is written again
 * after a backoff and then committed once: the sink's loop neither dies nor commits a partial batch.
 */
class WarehouseWriteFailureTest {
  @Test
  void aBatchWhoseFilesFailToWriteIsWrittenAgainAndCommittedOnce() {
    // Given a lane whose warehouse refuses the first two writes of the batch
    Table table = TestLane.catalogWithTable(Map.of()).loadTable(TestLane.TABLE);
    FlakyLane lane = new FlakyLane(table, 2);
    lane.deadLettered(TestLane.record(0));
    lane.deadLettered(TestLane.record(1));

    // When the batch is committed
    TableLane.Committed committed = lane.commit().orElseThrow();

    // Then the files were written three times, each attempt under its own name, and one snapshot
    // covers both offsets
    assertThat(lane.attempts).hasSize(3);
    // And while it waited between attempts, the failure was what the sink's /health would report
    assertThat(lane.waitedOut).hasSize(2).allSatisfy(failure -> assertThat(failure)
        .contains("writing a batch's files under " + table.location()).contains("Permission denied"));
    assertThat(lane.attempts).doesNotHaveDuplicates();
    assertThat(committed.records()).isEqualTo(2);
    table.refresh();
    assertThat(table.snapshots()).hasSize(1);
    assertThat(SinkSummary.committedOffsets(table, "topic").orElseThrow()).containsExactlyEntriesOf(Map.of(0, 2L));
    assertThat(lane.hasRecords()).isFalse();
  }

  /** A lane that holds no rows of its own and whose file writes fail a given number of times. */
  private static final class FlakyLane extends TestLane {
    private final List<String> attempts = new ArrayList<>();
    /** The failure being waited out when each attempt after the first began. */
    private final List<String> waitedOut = new ArrayList<>();
    private final RetryPolicy retry;
    private int failuresLeft;

    FlakyLane(Table table, int failures) {
      this(table, failures, new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(5)));
    }

    private FlakyLane(Table table, int failures, RetryPolicy retry) {
      super(table, CommitObserver.NONE, retry);
      this.retry = retry;
      this.failuresLeft = failures;
    }

    @Override
    protected BatchFiles.Written writeFiles(String operationId) {
      retry.waitingOut().failure().ifPresent(waitedOut::add);
      attempts.add(operationId);
      if (failuresLeft-- > 0) {
        throw new UncheckedIOException(new IOException("Permission denied: " + table.location() + "/data"));
      }
      return new BatchFiles.Written(List.of(), List.of());
    }
  }
}
