package org.trajlake.recall.indexer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.trajlake.recall.index.DocumentWriter.ItemResult;
import org.trajlake.recall.indexer.WriteOutcome.Verdict;

class WriteOutcomeTest {
  private static final ItemResult CREATED = new ItemResult("traj-000001", "t1", 201, null, null);
  private static final ItemResult STEP_UPDATED = new ItemResult("steps-000001", "t1#2", 200, null, null);

  @Test
  void documentsIndexedOrAlreadyNewerAreWritten() {
    // Given the trajectory created and its tool call refused as an older version
    ItemResult stale = new ItemResult("steps-000001", "t1#2", 409, "version_conflict_engine_exception", "current version [5]");

    // Then the record is done
    assertThat(WriteOutcome.of(List.of(CREATED, stale)).verdict()).isEqualTo(Verdict.WRITTEN);
    assertThat(WriteOutcome.of(List.of(CREATED, STEP_UPDATED)).verdict()).isEqualTo(Verdict.WRITTEN);
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {429, 500, 503, 403, 404})
  void aDocumentRefusedForNowIsRetried(int status) {
    // Given a tool call refused as busy, failing, blocked or with its index missing
    ItemResult refused = new ItemResult("steps-000001", "t1#2", status, "some_exception", "for now");

    // Then the record is written again
    assertThat(WriteOutcome.of(List.of(CREATED, refused)).verdict()).isEqualTo(Verdict.RETRY);
  }

  @Test
  void aDocumentRefusedForWhatItHoldsIsRejectedWithOpenSearchsReason() {
    // Given a document the mapping rejects, beside one refused as busy
    ItemResult rejected = new ItemResult("traj-000001", "t1", 400, "mapper_parsing_exception", "failed to parse field [embedding]");
    ItemResult busy = new ItemResult("steps-000001", "t1#2", 429, "es_rejected_execution_exception", "queue full");

    // Then the record is rejected (retrying cannot help it), naming the document, the type and the reason
    WriteOutcome outcome = WriteOutcome.of(List.of(rejected, busy));
    assertThat(outcome.verdict()).isEqualTo(Verdict.REJECTED);
    assertThat(outcome.detail()).isEqualTo("traj-000001/t1 (HTTP 400): mapper_parsing_exception: failed to parse field [embedding]");
  }
}
