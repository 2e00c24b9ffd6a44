package io.alfer.al.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.al.Matrix;
import io.alfer.al.Pool;
import io.alfer.al.Pools;
import io.alfer.al.Selection;
import io.alfer.al.kernel.CellIndex;
import io.alfer.al.kernel.EmbeddingSpace;
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
    CellIndex index = CellIndex.build(EmbeddingSpace.unit(blobs), new SplittableRandom(2));
    double delta =
        ((ProbCoverStrategy) Strategies.create("probcover", Map.of("clusters", "4")))
            .estimateDelta(pool, index, new SplittableRandom(1));
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

  @Test
  void exactSearchAndLazyGreedyPickWhatTheWrittenOutGreedyPicks() {
    Pool pool = Pools.random(500, 4, 3, 0.02, 9);
    double delta = 0.45;
    Selection s =
        Strategies.create(
                "probcover", Map.of("delta", "0.45", "probe", "0", "max-neighbours", "100000"))
            .select(pool, 30, 1);
    // the same greedy on balls written out in double precision
    Matrix x = pool.embeddings();
    int n = pool.size();
    double[][] unit = new double[n][x.cols()];
    for (int i = 0; i < n; i++) {
      double norm = 0;
      for (int t = 0; t < x.cols(); t++) {
        norm += (double) x.get(i, t) * x.get(i, t);
      }
      for (int t = 0; t < x.cols(); t++) {
        unit[i][t] = x.get(i, t) / Math.sqrt(norm);
      }
    }
    boolean[][] ball = new boolean[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double sq = 0;
        for (int t = 0; t < x.cols(); t++) {
          sq += (unit[i][t] - unit[j][t]) * (unit[i][t] - unit[j][t]);
        }
        ball[i][j] = Math.sqrt(sq) < delta;
      }
    }
    boolean[] covered = new boolean[n];
    for (int i = 0; i < n; i++) {
      if (pool.isLabelled(i)) {
        for (int j = 0; j < n; j++) {
          covered[j] |= ball[i][j];
        }
      }
    }
    boolean[] taken = new boolean[n];
    for (var pick : s.picks()) {
      int best = -1;
      int bestCount = -1;
      for (int i = 0; i < n; i++) {
        if (pool.isLabelled(i) || taken[i]) {
          continue;
        }
        int count = 0;
        for (int j = 0; j < n; j++) {
          count += ball[i][j] && !covered[j] ? 1 : 0;
        }
        if (count > bestCount) {
          best = i;
          bestCount = count;
        }
      }
      assertThat(bestCount).isPositive(); // the budget ends before everything is covered
      assertThat(pick.row()).isEqualTo(best);
      assertThat(pick.score()).isEqualTo(bestCount);
      taken[best] = true;
      for (int j = 0; j < n; j++) {
        covered[j] |= ball[best][j];
      }
    }
  }
}
