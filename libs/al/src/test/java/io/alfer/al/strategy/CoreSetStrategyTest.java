package io.alfer.al.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.alfer.al.Matrix;
import io.alfer.al.Pool;
import io.alfer.al.Pools;
import io.alfer.al.Selection;
import org.junit.jupiter.api.Test;

class CoreSetStrategyTest {
  private static Pool line(boolean[] labelled, float... positions) {
    float[][] rows = new float[positions.length][];
    for (int i = 0; i < positions.length; i++) {
      rows[i] = new float[] {positions[i], 0f};
    }
    return Pool.builder(Pools.ids(positions.length), labelled)
        .embeddings(Matrix.ofRows(rows))
        .build();
  }

  @Test
  void kCenterGreedyOnALineStartsFromTheLabelledCentres() {
    // positions 0 (labelled), 1, 2, 4, 10
    Pool pool = line(new boolean[] {true, false, false, false, false}, 0, 1, 2, 4, 10);
    Selection s = Strategies.create("coreset").select(pool, 3, 1);

    // 10 is farthest from 0; then 4 (4 from 0, 6 from 10); then 2 (2 from 0 and from 4)
    assertThat(s.ids()).containsExactly("r4", "r3", "r2");
    assertThat(s.picks()).extracting(p -> p.score()).containsExactly(10.0, 4.0, 2.0);
  }

  @Test
  void everyPickIsTheFarthestFromAllEarlierCentres() {
    Pool pool = Pools.random(400, 5, 3, 0.05, 21);
    Selection s = Strategies.create("coreset").select(pool, 40, 3);
    Matrix x = pool.embeddings();
    java.util.List<Integer> centres = new java.util.ArrayList<>();
    for (int row = 0; row < pool.size(); row++) {
      if (pool.isLabelled(row)) {
        centres.add(row);
      }
    }
    for (var pick : s.picks()) {
      double best = -1;
      for (int row : pool.unlabelledRows()) {
        if (!centres.contains(row)) {
          best = Math.max(best, minDistance(x, row, centres));
        }
      }
      assertThat(minDistance(x, pick.row(), centres)).isCloseTo(best, within(1e-4));
      assertThat(pick.score()).isCloseTo(best, within(1e-3));
      centres.add(pick.row());
    }
  }

  private static double minDistance(Matrix x, int row, java.util.List<Integer> centres) {
    double min = Double.POSITIVE_INFINITY;
    for (int c : centres) {
      double s = 0;
      for (int t = 0; t < x.cols(); t++) {
        double diff = x.get(row, t) - x.get(c, t);
        s += diff * diff;
      }
      min = Math.min(min, Math.sqrt(s));
    }
    return min;
  }
}
