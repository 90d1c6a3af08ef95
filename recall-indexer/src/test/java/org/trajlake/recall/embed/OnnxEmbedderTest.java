package org.trajlake.recall.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class OnnxEmbedderTest {
  private static final List<String> TEXTS = List.of(
      "fix the flaky integration test for the payment service that times out on CI",
      "add pagination to the users list REST endpoint with cursor tokens",
      "");

  @ParameterizedTest
  @ValueSource(strings = {OnnxEmbedder.BGE_SMALL, OnnxEmbedder.MINILM_Q})
  void theTunedSessionGivesTheStockModelsVectors(String name) {
    EmbeddingModel stock = name.equals(OnnxEmbedder.BGE_SMALL)
        ? new BgeSmallEnV15QuantizedEmbeddingModel()
        : new AllMiniLmL6V2QuantizedEmbeddingModel();
    try (OnnxEmbedder embedder = OnnxEmbedder.load(name, 2)) {
      List<float[]> vectors = embedder.embed(TEXTS);
      assertThat(vectors).hasSize(3).allSatisfy(vector -> assertThat(vector).hasSize(384));
      for (int i = 0; i < 3; i++) {
        String text = TEXTS.get(i).isEmpty() ? OnnxEmbedder.BLANK : TEXTS.get(i);
        float[] expected = stock.embed(TextSegment.from(text)).content().vector();
        assertThat(cosine(vectors.get(i), expected)).as(text).isGreaterThan(0.999);
      }
      assertThat(embedder.model()).isEqualTo(name);
      assertThat(embedder.dimension()).isEqualTo(384);
    }
  }

  @Test
  void aParaphraseIsNearerThanAnotherTask() {
    try (OnnxEmbedder embedder = OnnxEmbedder.load(OnnxEmbedder.BGE_SMALL, 1)) {
      List<float[]> vectors = embedder.embed(List.of(TEXTS.get(0), TEXTS.get(1),
          "the payment service test sometimes fails with a timeout in continuous integration"));
      assertThat(cosine(vectors.get(2), vectors.get(0))).isGreaterThan(cosine(vectors.get(2), vectors.get(1)) + 0.1);
    }
  }

  @Test
  void aClosedEmbedderRefusesToEmbedInsteadOfTouchingAFreedSession() {
    OnnxEmbedder embedder = OnnxEmbedder.load(OnnxEmbedder.MINILM_Q, 1);
    embedder.close();
    embedder.close(); // twice is harmless
    assertThatThrownBy(() -> embedder.embed(List.of("after close")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void anUnknownModelIsRefusedNamingTheSupportedOnes() {
    assertThatThrownBy(() -> OnnxEmbedder.load("bge-large", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bge-large")
        .hasMessageContaining(OnnxEmbedder.BGE_SMALL)
        .hasMessageContaining(OnnxEmbedder.MINILM_Q);
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
