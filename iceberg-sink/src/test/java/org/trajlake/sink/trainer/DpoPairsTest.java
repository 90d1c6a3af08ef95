package org.trajlake.sink.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.trajlake.sink.trainer.DpoPairs.Candidate;
import org.trajlake.sink.trainer.DpoPairs.Pair;

/** Which trajectories of a task are paired for DPO. */
class DpoPairsTest {
  @Test
  void theTopHalfIsPairedWithTheBottomHalfBestAgainstWorstFirst() {
    // Given four attempts at one task
    List<Candidate> task = List.of(c("a", 0.9), c("b", 0.7), c("c", 0.4), c("d", 0.1));

    // When pairs are planned with the default margin
    List<Pair> pairs = DpoPairs.plan(task, 0.1, 8);

    // Then every top-half attempt is chosen over every bottom-half one, the widest gap first
    assertThat(pairs).extracting(DpoPairsTest::ids).containsExactly("a>d", "a>c", "b>d", "b>c");
  }

  @Test
  void pairsCloserThanTheMarginAreLeftOut() {
    // Given rewards 0.6, 0.5 and 0.45 (0.6 - 0.5 is 0.0999... in doubles)
    List<Candidate> task = List.of(c("a", 0.6), c("b", 0.5), c("c", 0.45));

    // When pairs are planned with margins 0.1 and 0.2
    // Then a 0.1 gap counts for 0.1, and nothing meets 0.2
    assertThat(DpoPairs.plan(task, 0.1, 8)).extracting(DpoPairsTest::ids).containsExactly("a>c", "a>b");
    assertThat(DpoPairs.plan(task, 0.2, 8)).isEmpty();
  }

  @Test
  void theCapIsSpreadOverManyChosenTrajectories() {
    // Given twenty attempts with distinct rewards
    List<Candidate> task = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      task.add(c(String.format("t%02d", i), i / 20.0));
    }

    // When at most four pairs are taken
    List<Pair> pairs = DpoPairs.plan(task, 0.1, 4);

    // Then they are four, and not all have the same chosen trajectory
    assertThat(pairs).hasSize(4);
    assertThat(pairs.stream().map(p -> p.chosen().trajectoryId()).distinct().count()).isGreaterThan(1);
    assertThat(pairs).allMatch(p -> p.chosen().reward() - p.rejected().reward() >= 0.1);
  }

  @Test
  void theOrderTheRowsWereReadInDoesNotMatter() {
    // Given the same attempts, with ties, in two orders
    List<Candidate> task = new ArrayList<>(List.of(c("a", 1.0), c("b", 1.0), c("c", 0.5), c("d", 0.0), c("e", 0.0)));
    List<Candidate> shuffled = new ArrayList<>(task);
    Collections.shuffle(shuffled, new Random(7));

    // When pairs are planned from each
    // Then they are the same pairs in the same order
    assertThat(DpoPairs.plan(shuffled, 0.1, 8)).isEqualTo(DpoPairs.plan(task, 0.1, 8));
  }

  @Test
  void aSingleAttemptHasNoPair() {
    assertThat(DpoPairs.plan(List.of(c("a", 1.0)), 0.1, 8)).isEmpty();
  }

  private static Candidate c(String id, double reward) {
    return new Candidate(id, reward);
  }

  private static String ids(Pair pair) {
    return pair.chosen().trajectoryId() + ">" + pair.rejected().trajectoryId();
  }
}
