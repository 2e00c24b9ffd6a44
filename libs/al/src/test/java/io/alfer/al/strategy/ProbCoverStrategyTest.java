package io.alfer.al.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.al.Matrix;
import io.alfer.al.Pool;
import io.alfer.al.Pools;
import io.alfer.al.Selection;
import io.alfer.al.kernel.CellIndex;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProbCoverStrategyTest {
  private final Matrix blobs = Blobs.grids(4, 0.5f);

  @Test
  void withAGivenDeltaEachPickCoversAWholeBlob() {
    Pool pool = Pool.builder(Pools.ids(100), new boolean[100]).embeddings(blobs).build();
    Selection s = Strategies.create("probcover", Map.of("delta", "0.5")).select(pool, 5, 1);

    assertThat(s.picks().subList(0, 4))
        .extracting(p -> Blobs.blobOf(p.row()))
        .containsExactlyInAnyOrder(0, 1, 2, 3);
    // the centre of a blob reaches all 25 of its points; the fifth pick covers nothing new
    assertThat(s.picks().get(0).score()).isEqualTo(25.0);
    assertThat(s.picks().get(4).score()).isZero();
  }

  @Test
  void estimatedDeltaSeparatesTheBlobs() {
    Pool pool = Pool.builder(Pools.ids(100), new boolean[100]).embeddings(blobs).build();
    Matrix points = ProbCoverStrategy.normalised(blobs);
    CellIndex index = CellIndex.build(points, new SplittableRandom(2));
    double delta =
        ((ProbCoverStrategy) Strategies.create("probcover", Map.of("clusters", "4")))
            .estimateDelta(pool, points, index, new SplittableRandom(1));
    // normalised blob centres are √2 apart; blobs are about 0.3 wide
    assertThat(delta).isBetween(0.5, 1.45);

    Selection s = Strategies.create("probcover", Map.of("clusters", "4")).select(pool, 4, 1);
    assertThat(s.picks())
        .extracting(p -> Blobs.blobOf(p.row()))
        .containsExactlyInAnyOrder(0, 1, 2, 3);
  }

  @Test
  void labelledBlobIsAlreadyCovered() {
    boolean[] labelled = new boolean[100];
    labelled[62] = true; // centre of blob 2
    Pool pool = Pool.builder(Pools.ids(100), labelled).embeddings(blobs).build();
    Selection s = Strategies.create("probcover", Map.of("delta", "0.5")).select(pool, 3, 1);
    assertThat(s.picks()).extracting(p -> Blobs.blobOf(p.row())).containsExactlyInAnyOrder(0, 1, 3);
  }
}
