package org.trajlake.joiner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;
import static org.trajlake.joiner.Records.outcome;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.trajlake.joiner.RewardSpec.Combine;
import org.trajlake.joiner.RewardSpec.Kind;
import org.trajlake.joiner.RewardSpec.Reward;
import org.trajlake.schema.LabelStatus;

class RewardSpecTest {

  @Test
  void theDefaultSpecIsTheDocumentedOne() throws Exception {
    // Given no reward setting at all
    RewardSpec spec = RewardSpec.parse("default", null, Map.of());

    // Then it is the documented default, identified by its name and the hash of its canonical text
    assertThat(spec.kinds().values()).containsExactly(
        new Kind("pr_merged", 0.5, Combine.MAX),
        new Kind("tests_passed", 0.3, Combine.LATEST),
        new Kind("user_kept", 0.2, Combine.LATEST));
    assertThat(spec.required()).containsExactly("pr_merged", "tests_passed");
    assertThat(spec.canonicalText()).isEqualTo(
        "reward-spec/v1;kinds=pr_merged:0.5:max,tests_passed:0.3:latest,user_kept:0.2:latest;required=pr_merged,tests_passed");
    assertThat(spec.id()).isEqualTo("default@" + sha256Prefix(spec.canonicalText()));
    assertThat(spec.id()).isEqualTo(RewardSpec.defaultSpec().id());
  }

  @Test
  void theIdDependsOnTheArithmeticNotOnHowItIsWritten() {
    // Given the default spec written out by hand, with other spellings and order
    RewardSpec written = RewardSpec.parse("default", " tests_passed , pr_merged ", Map.of(
        "user_kept.weight", "0.20", "pr_merged.combine", "MAX", "pr_merged.weight", "5e-1",
        "tests_passed.weight", "0.3"));

    // Then it has the default's id; another weight or name changes it
    assertThat(written.id()).isEqualTo(RewardSpec.defaultSpec().id());
    assertThat(RewardSpec.parse("default", null, Map.of("tests_passed.weight", "0.4")).id())
        .isNotEqualTo(RewardSpec.parse("default", null, Map.of("tests_passed.weight", "0.3")).id());
    assertThat(RewardSpec.parse("v2", null, Map.of()).id())
        .isEqualTo("v2@" + RewardSpec.defaultSpec().id().substring("default@".length()));
  }

  @Test
  void kindsOfYourOwnDefaultToLatestAndRequireNothingUnlessTold() {
    // Given a spec with a rating kind and no combine or required setting
    RewardSpec spec = RewardSpec.parse("ratings", null, Map.of("rating.weight", "1"));

    // Then rating combines by latest and any rating labels
    assertThat(spec.kinds()).containsExactly(entry("rating", new Kind("rating", 1.0, Combine.LATEST)));
    assertThat(spec.required()).isEmpty();
    assertThat(spec.compute(List.of(outcome("o-1", "t-1", "rating", 4.0))).label()).isEqualTo(LabelStatus.LABELED);
  }

  @Test
  void requiredCanNameAnySubsetOfTheDefaultKindsOrNone() {
    // Given the default kinds with only tests_passed required, and with none required
    RewardSpec testsOnly = RewardSpec.parse("default", "tests_passed", Map.of());
    RewardSpec none = RewardSpec.parse("default", "", Map.of());

    // Then tests_passed alone labels the first, user_kept alone labels the second
    assertThat(testsOnly.compute(List.of(outcome("o-1", "t-1", "tests_passed", 1.0))).label())
        .isEqualTo(LabelStatus.LABELED);
    assertThat(none.compute(List.of(outcome("o-1", "t-1", "user_kept", 1.0))).label())
        .isEqualTo(LabelStatus.LABELED);
  }

  @Test
  void latestTakesTheGreatestTsAndOnATieTheLaterArrival() {
    RewardSpec spec = RewardSpec.defaultSpec();
    // Given tests_passed outcomes in arrival order: 1.0 at ts 200, 0.0 at ts 100
    Reward earlierLast = spec.compute(List.of(
        outcome("o-1", "t-1", "tests_passed", 1.0, 200), outcome("o-2", "t-1", "tests_passed", 0.0, 100)));
    // and 1.0 then 0.0, both at ts 200
    Reward tie = spec.compute(List.of(
        outcome("o-1", "t-1", "tests_passed", 1.0, 200), outcome("o-2", "t-1", "tests_passed", 0.0, 200)));

    // Then the greatest ts wins; on a tie the later arrival
    assertThat(earlierLast.components().get("tests_passed")).isCloseTo(0.3, within(1e-12));
    assertThat(tie.components().get("tests_passed")).isCloseTo(0.0, within(1e-12));
  }

  @Test
  void maxTakesTheGreatestValue() {
    Reward reward = RewardSpec.defaultSpec().compute(List.of(
        outcome("o-1", "t-1", "pr_merged", 0.0, 100), outcome("o-2", "t-1", "pr_merged", 1.0, 50),
        outcome("o-3", "t-1", "pr_merged", 0.5, 300)));

    assertThat(reward.components().get("pr_merged")).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void sumAddsTheValues() {
    RewardSpec spec = RewardSpec.parse("s", null, Map.of("rating.weight", "0.5", "rating.combine", "sum"));

    Reward reward = spec.compute(List.of(outcome("o-1", "t-1", "rating", 1.0), outcome("o-2", "t-1", "rating", 3.0)));

    assertThat(reward.reward()).isCloseTo(2.0, within(1e-12));
  }

  @Test
  void theLabelFollowsTheRequiredKindsAndTheRewardIsNullWithoutASpecdKind() {
    RewardSpec spec = RewardSpec.defaultSpec();

    Reward none = spec.compute(List.of());
    Reward unweighed = spec.compute(List.of(outcome("o-1", "t-1", "rating", 5.0)));
    Reward partial = spec.compute(List.of(outcome("o-1", "t-1", "user_kept", 1.0)));
    Reward labeled = spec.compute(List.of(
        outcome("o-1", "t-1", "tests_passed", 1.0), outcome("o-2", "t-1", "pr_merged", 0.0)));

    assertThat(none).isEqualTo(new Reward(null, Map.of(), LabelStatus.UNLABELED));
    assertThat(unweighed).isEqualTo(new Reward(null, Map.of(), LabelStatus.PARTIAL));
    assertThat(partial.label()).isEqualTo(LabelStatus.PARTIAL);
    assertThat(partial.reward()).isCloseTo(0.2, within(1e-12));
    assertThat(labeled.label()).isEqualTo(LabelStatus.LABELED);
    assertThat(labeled.reward()).isCloseTo(0.3, within(1e-12));
    assertThat(labeled.components()).containsOnlyKeys("tests_passed", "pr_merged");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "rating.combine|median|reward.kind.rating.combine|must be one of latest, max, sum",
      "rating.weight|high|reward.kind.rating.weight|must be a number",
      "rating.weight|NaN|reward.kind.rating.weight|must be a finite number",
      "rating.weight|Infinity|reward.kind.rating.weight|must be a finite number",
      "rating.weight|-0.1|reward.kind.rating.weight|must not be negative",
      "rating.wieght|1|reward.kind.rating.wieght|expected reward.kind.<kind>.weight",
      "rating|1|reward.kind.rating|expected reward.kind.<kind>.weight"})
  void aBadKindSettingIsRefusedNamingItsKey(String key, String value, String namedKey, String problem) {
    // (with a valid weight beside a bad combine, so the combine is what is wrong)
    Map<String, String> kinds = key.equals("rating.weight") ? Map.of(key, value) : Map.of(key, value, "rating.weight", "1");

    assertThatThrownBy(() -> RewardSpec.parse("s", null, kinds))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("configuration " + namedKey)
        .hasMessageContaining(problem);
  }

  @Test
  void aKindWithACombineButNoWeightIsRefusedNamingTheWeightKey() {
    assertThatThrownBy(() -> RewardSpec.parse("s", null, Map.of("rating.combine", "max")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("configuration reward.kind.rating.weight")
        .hasMessageContaining("needs a weight");
  }

  @Test
  void aRequiredKindWithoutWeightIsRefusedNamingRewardRequired() {
    assertThatThrownBy(() -> RewardSpec.parse("s", "rating,pr_merged", Map.of("rating.weight", "1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("configuration reward.required")
        .hasMessageContaining("kind 'pr_merged' has no weight");
  }

  private static String sha256Prefix(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)))
        .substring(0, 8);
  }
}
