package org.trajlake.recall.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextAnalysisTest {
  @Test
  void codeSplitsAtIndexingWithoutAGraphAndAtQueryTimeWithOne() {
    // When the settings of a new index analysed as code are built
    Map<String, Object> settings = TextAnalysis.CODE.indexSettings();

    // Then indexing writes the parts at positions and queries keep them as a graph, both lower-cased after
    Map<?, ?> analyzers = (Map<?, ?>) settings.get("analyzer");
    Map<?, ?> filters = (Map<?, ?>) settings.get("filter");
    List<?> atIndexing = (List<?>) ((Map<?, ?>) analyzers.get("default")).get("filter");
    List<?> atQuery = (List<?>) ((Map<?, ?>) analyzers.get("default_search")).get("filter");
    assertThat(((Map<?, ?>) filters.get(atIndexing.get(0))).get("type")).isEqualTo("word_delimiter");
    assertThat(((Map<?, ?>) filters.get(atQuery.get(0))).get("type")).isEqualTo("word_delimiter_graph");
    assertThat(atIndexing.get(1)).isEqualTo("lowercase");
    assertThat(atQuery.get(1)).isEqualTo("lowercase");
    // and the whole token is kept beside its parts, so an exact identifier still matches
    assertThat(((Map<?, ?>) filters.get(atIndexing.get(0))).get("preserve_original")).isEqualTo(true);
  }

  @Test
  void standardLeavesTheIndexsOwnDefault() {
    assertThat(TextAnalysis.STANDARD.indexSettings()).isEmpty();
  }

  @Test
  void isReadInAnyCaseAndAnUnknownNameIsRefused() {
    assertThat(TextAnalysis.of(" Code ")).isEqualTo(TextAnalysis.CODE);
    assertThat(TextAnalysis.STANDARD.settingValue()).isEqualTo("standard");
    assertThatThrownBy(() -> TextAnalysis.of("english")).isInstanceOf(IllegalArgumentException.class);
  }
}
