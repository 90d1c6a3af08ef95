package org.trajlake.recall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.trajlake.runtime.Settings;

class RecallConfigTest {
  @Test
  void defaultsServeOnLocalhost8090() {
    // When nothing is set
    RecallConfig config = RecallConfig.from(Settings.of(Map.of()));

    // Then the documented defaults apply
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(8090);
    assertThat(config.maxK()).isEqualTo(100);
    assertThat(config.window()).isEqualTo(10);
    assertThat(config.rrfK()).isEqualTo(60);
    assertThat(config.bm25Weight()).isEqualTo(1.0);
    assertThat(config.vectorWeight()).isEqualTo(1.0);
    assertThat(config.hybridMinimumShouldMatch()).isEqualTo("2<60%");
    assertThat(config.timeout().toMillis()).isEqualTo(2000);
    assertThat(config.apiKeys().enabled()).isFalse();
    assertThat(config.mcpStdioAccess().any()).isTrue();
    assertThat(config.connection().indexPrefix()).isEqualTo("trajlake-");
  }

  @Test
  void aValueOutOfRangeNamesTheKeyAndItsVariable() {
    // When recall.max.k is above the API's limit, then the error names the key and where to set it
    assertThatThrownBy(() -> RecallConfig.from(Settings.of(Map.of(RecallConfig.MAX_K, "500"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("recall.max.k")
        .hasMessageContaining("TRAJLAKE_RECALL_MAX_K");
  }

  @Test
  void fusionWeightsOutOfRangeOrBothZeroNameTheKey() {
    // When a weight is above 1, or both are 0, then start is refused naming a weight key
    assertThatThrownBy(() -> RecallConfig.from(Settings.of(Map.of(RecallConfig.VECTOR_WEIGHT, "2"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("recall.rrf.vector.weight");
    assertThatThrownBy(() -> RecallConfig.from(Settings.of(Map.of(
        RecallConfig.VECTOR_WEIGHT, "0", RecallConfig.BM25_WEIGHT, "0"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("recall.rrf.vector.weight")
        .hasMessageContaining("both legs weigh 0");
  }

  @Test
  void aMinimumShouldMatchOpenSearchWouldRefuseNamesTheKey() {
    // When the hybrid leg's minimum_should_match is not in OpenSearch's syntax, then start is refused naming the key
    assertThatThrownBy(() -> RecallConfig.from(Settings.of(Map.of(RecallConfig.HYBRID_MINIMUM_SHOULD_MATCH, "sixty"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("recall.hybrid.minimum.should.match")
        .hasMessageContaining("2<60%");
    // and the forms OpenSearch takes, or nothing, are accepted
    for (String valid : new String[] {"", "2", "60%", "-25%", "2<60%", "3<-1 5<80%"}) {
      assertThat(RecallConfig.from(Settings.of(Map.of(RecallConfig.HYBRID_MINIMUM_SHOULD_MATCH, valid)))
          .hybridMinimumShouldMatch()).isEqualTo(valid);
    }
  }

  @Test
  void anUnknownHybridSettingNamesTheKey() {
    // When recall.hybrid is neither auto nor app, then the error names the key
    assertThatThrownBy(() -> RecallConfig.from(Settings.of(Map.of(RecallConfig.HYBRID, "native"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("recall.hybrid");
  }

  @Test
  void aParentCycleNamesTheFreeKey() {
    // When two workspaces are each other's parent, then start is refused naming a key of the cycle
    assertThatThrownBy(() -> RecallConfig.from(Settings.of(Map.of(
        "recall.workspace.team-a.parents", "org", "recall.workspace.org.parents", "team-a"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("recall.workspace.org.parents")
        .hasMessageContaining("cycle")
        .hasMessageContaining("in the config file, or --set");
  }

  @Test
  void anApiKeyWithoutWorkspacesNamesTheMissingKeyAndNeverPrintsTheSecret() {
    // When a key has a secret but no workspaces, then the error names the workspaces key, not the secret
    assertThatThrownBy(() -> RecallConfig.from(Settings.of(Map.of("recall.api.key.ci", "s3cret-s3cret-s3cret"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("recall.api.key.ci.workspaces")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void aMalformedMcpWorkspaceNamesTheKey() {
    // When recall.mcp.workspaces holds a malformed name, then the error names the key
    assertThatThrownBy(() -> RecallConfig.from(Settings.of(Map.of(RecallConfig.MCP_WORKSPACES, "team-a,team b"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("recall.mcp.workspaces");
  }
}
