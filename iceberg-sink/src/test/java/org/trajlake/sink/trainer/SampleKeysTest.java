package org.trajlake.sink.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Sample keys: a function of (seed, id) alone, uniform, and biased by reward when weighted. */
class SampleKeysTest {
  @Test
  void aKeyDependsOnlyOnSeedAndId() {
    assertThat(SampleKeys.uniform(42, "t-1")).isEqualTo(SampleKeys.uniform(42, "t-1"));
    assertThat(SampleKeys.uniform(42, "t-1")).isNotEqualTo(SampleKeys.uniform(43, "t-1"));
    assertThat(SampleKeys.uniform(42, "t-1")).isNotEqualTo(SampleKeys.uniform(42, "t-2"));
  }

  @Test
  void uniformKeysSpreadEvenlyOverTheUnitInterval() {
    // Given 10,000 ids
    double[] keys = IntStream.range(0, 10_000).mapToDouble(i -> SampleKeys.uniform(7, "t-" + i)).toArray();

    // Then every key is in (0, 1) and each tenth of the interval holds about a tenth of them
    int[] deciles = new int[10];
    for (double key : keys) {
      assertThat(key).isStrictlyBetween(0.0, 1.0);
      deciles[(int) (key * 10)]++;
    }
    assertThat(IntStream.of(deciles).boxed().toList()).allSatisfy(count -> assertThat(count).isBetween(900, 1100));
  }

  @Test
  void weightedKeysFavourHighRewards() {
    // Given 1,000 trajectories rewarded 1.0 and 1,000 rewarded 0.1
    List<String> ids = IntStream.range(0, 2_000).mapToObj(i -> "t-" + i).toList();

    // When the 200 best weighted keys are drawn
    List<String> drawn = ids.stream()
        .sorted(Comparator.comparingDouble((String id) -> key(id)).reversed())
        .limit(200).toList();

    // Then far more come from the high-reward half (expected about 10 to 1)
    long high = drawn.stream().filter(id -> reward(id) == 1.0).count();
    assertThat(high).isGreaterThan(160);
  }

  @Test
  void rewardsAtOrBelowZeroAreClippedNotExcluded() {
    assertThat(SampleKeys.weighted(0.5, -1.0)).isEqualTo(SampleKeys.weighted(0.5, null))
        .isEqualTo(Math.log(0.5) / SampleKeys.MIN_WEIGHT).isFinite();
  }

  private static double key(String id) {
    return SampleKeys.weighted(SampleKeys.uniform(11, id), reward(id));
  }

  private static double reward(String id) {
    return Integer.parseInt(id.substring(2)) % 2 == 0 ? 1.0 : 0.1;
  }
}
