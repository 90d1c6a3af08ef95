package org.trajlake.recall.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReciprocalRankFusionTest {
  private final ReciprocalRankFusion rrf = new ReciprocalRankFusion(60);

  @Test
  void aDocumentBothLegsRankWellBeatsOneOnlyOneLegRanksFirst() {
    // Given a document ranked 2nd by both legs and one ranked 1st by BM25 only
    List<String> bm25 = List.of("text-only", "both");
    List<String> vector = List.of("vector-only", "both");

    // When fused
    List<ReciprocalRankFusion.Fused> fused = rrf.fuse(bm25, vector, 10);

    // Then the one both legs found comes first, scored 2/(60+2)
    assertThat(fused.get(0).id()).isEqualTo("both");
    assertThat(fused.get(0).score()).isCloseTo(2.0 / 62, within(1e-12));
    assertThat(fused.get(0).bm25Rank()).isEqualTo(2);
    assertThat(fused.get(0).vectorRank()).isEqualTo(2);
  }

  @Test
  void eachDocumentKeepsItsRankInEachLegAndNullWhereALegMissedIt() {
    // When a document appears in one leg only
    List<ReciprocalRankFusion.Fused> fused = rrf.fuse(List.of("a"), List.of("b", "a"), 10);

    // Then its other rank is null, and its score is 1/(60+rank)
    ReciprocalRankFusion.Fused b = fused.stream().filter(f -> f.id().equals("b")).findFirst().orElseThrow();
    assertThat(b.bm25Rank()).isNull();
    assertThat(b.vectorRank()).isEqualTo(1);
    assertThat(b.score()).isCloseTo(1.0 / 61, within(1e-12));
  }

  @Test
  void equalScoresAreOrderedDeterministically() {
    // Given two documents, each first in one leg: equal scores and equal best ranks
    List<ReciprocalRankFusion.Fused> fused = rrf.fuse(List.of("z-text"), List.of("a-vector"), 10);

    // Then the BM25 one wins the tie, every time
    assertThat(fused).extracting(ReciprocalRankFusion.Fused::id).containsExactly("z-text", "a-vector");
  }

  @Test
  void onlyTheBestKAreReturned() {
    // When k is smaller than the documents found
    List<ReciprocalRankFusion.Fused> fused = rrf.fuse(List.of("a", "b", "c"), List.of("d", "e"), 2);

    // Then k come back
    assertThat(fused).hasSize(2);
  }

  @Test
  void theRankConstantFlattensTheTopRanks() {
    // Given a small and a large rank constant
    List<String> bm25 = List.of("first", "second");

    // When the same list is fused with each
    double small = new ReciprocalRankFusion(1).fuse(bm25, List.of(), 2).get(0).score();
    double large = new ReciprocalRankFusion(1000).fuse(bm25, List.of(), 2).get(0).score();

    // Then the first rank's score is 1/(c+1)
    assertThat(small).isCloseTo(0.5, within(1e-12));
    assertThat(large).isCloseTo(1.0 / 1001, within(1e-12));
  }

  @Test
  void aLighterLegCountsLess() {
    // Given a document first for BM25 only and one first for k-NN only
    List<String> bm25 = List.of("identifier-match");
    List<String> vector = List.of("paraphrase-match");

    // When BM25 weighs 0.5 and the vector leg 1
    List<ReciprocalRankFusion.Fused> fused = new ReciprocalRankFusion(60, 0.5, 1.0).fuse(bm25, vector, 10);

    // Then the k-NN one comes first, and each scores weight/(60+rank)
    assertThat(fused).extracting(ReciprocalRankFusion.Fused::id).containsExactly("paraphrase-match", "identifier-match");
    assertThat(fused.get(0).score()).isCloseTo(1.0 / 61, within(1e-12));
    assertThat(fused.get(1).score()).isCloseTo(0.5 / 61, within(1e-12));
  }

  @Test
  void weightsOutsideZeroToOneOrBothZeroAreRefused() {
    assertThatThrownBy(() -> new ReciprocalRankFusion(60, 1.5, 1.0)).hasMessageContaining("BM25 weight must be between 0 and 1");
    assertThatThrownBy(() -> new ReciprocalRankFusion(60, 1.0, -0.1)).hasMessageContaining("vector weight");
    assertThatThrownBy(() -> new ReciprocalRankFusion(60, 0, 0)).hasMessageContaining("at least one leg");
  }
}
