package org.trajlake.recall.http;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trajlake.recall.RecallApp;
import org.trajlake.recall.RecallConfig;
import org.trajlake.recall.RecallFixtures;
import org.trajlake.recall.embed.OnnxEmbedder;
import org.trajlake.recall.index.IndexAdmin;
import org.trajlake.recall.index.IndexNames;
import org.trajlake.recall.index.OpenSearchSettings;
import org.trajlake.recall.index.TrajectoryDocuments;
import org.trajlake.runtime.Settings;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;

/** The recall service refuses to start, saying what to do, when it could only answer wrongly. */
@RealServers(Component.OPENSEARCH)
class RecallStartIT {
  @Test
  void missingIndexesRefuseTheStart(Endpoints servers) {
    // Given a prefix under which no index was ever created
    RecallConfig config = RecallConfig.from(Settings.of(Map.of(OpenSearchSettings.URL, servers.openSearchUrl(),
        OpenSearchSettings.INDEX_PREFIX, "it-never-" + System.nanoTime() + "-", RecallConfig.PORT, "0")));

    // When recall starts, then it refuses, naming the indexer and the prefix setting
    assertThatThrownBy(() -> RecallApp.start(config))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("recall cannot start")
        .hasMessageContaining("does not exist")
        .hasMessageContaining("trajlake run indexer")
        .hasMessageContaining("index.prefix");
  }

  @Test
  void indexesOfAnotherModelRefuseTheStart(Endpoints servers) throws Exception {
    // Given indexes built for all-MiniLM-L6-v2
    try (RecallFixtures.TestIndex index = new RecallFixtures.TestIndex(servers.openSearchUrl(), "othermodel")) {
      String prefix = index.names().prefix() + "minilm-";
      IndexAdmin admin = new IndexAdmin(index.transport(), new IndexNames(prefix));
      admin.ensure(OnnxEmbedder.MINILM, 384, IndexAdmin.IndexSettings.defaults(), new TrajectoryDocuments(32));
      RecallConfig config = RecallConfig.from(Settings.of(Map.of(OpenSearchSettings.URL, servers.openSearchUrl(),
          OpenSearchSettings.INDEX_PREFIX, prefix, RecallConfig.PORT, "0")));

      // When recall starts with the default model (MiniLM quantized), then it refuses, saying which model to set
      assertThatThrownBy(() -> RecallApp.start(config))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("embedding.model=" + OnnxEmbedder.MINILM);
    }
  }

  @Test
  void anUnreachableOpenSearchRefusesTheStart() {
    // Given an OpenSearch URL nothing listens on
    RecallConfig config = RecallConfig.from(Settings.of(Map.of(OpenSearchSettings.URL, "http://127.0.0.1:1",
        RecallConfig.PORT, "0")));

    // When recall starts, then it refuses, naming the setting
    assertThatThrownBy(() -> RecallApp.start(config))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("opensearch.url")
        .hasMessageContaining("http://127.0.0.1:1");
  }
}
