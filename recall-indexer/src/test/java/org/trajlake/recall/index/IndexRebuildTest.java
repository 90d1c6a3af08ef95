package org.trajlake.recall.index;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IndexRebuildTest {
  @Test
  void theNextIndexFollowsTheHighestGenerationWithSixDigitsAndGrowsPastThem() {
    assertThat(IndexRebuild.nextIndex("trajlake-trajectories", 1)).isEqualTo("trajlake-trajectories-000002");
    assertThat(IndexRebuild.nextIndex("trajlake-steps", 41)).isEqualTo("trajlake-steps-000042");
    assertThat(IndexRebuild.nextIndex("t", 999_999)).isEqualTo("t-1000000");
  }
}
