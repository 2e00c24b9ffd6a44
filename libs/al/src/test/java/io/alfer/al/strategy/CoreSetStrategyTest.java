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

  @Test
  void sameChoicesAsTheTextbookKCenterGreedyOnClusteredPoolsWithManyLabelled() {
    for (long seed = 1; seed <= 3; seed++) {
      Pool pool = clustered(4000, 12, 20, 0.05, seed);
      Selection s = Strategies.create("coreset").select(pool, 60, seed);
      assertThat(s.picks()).extracting(p -> p.row()).containsExactlyElementsOf(textbook(pool, 60));
    }
  }

  /** Gaussian clusters around random centres; each item labelled with probability {@code share}. */
  private static Pool clustered(int n, int d, int clusters, double share, long seed) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    float[][] centres = new float[clusters][d];
    for (float[] c : centres) {
      for (int t = 0; t < d; t++) {
        c[t] = (float) (random.nextGaussian() * 4);
      }
    }
    float[][] rows = new float[n][d];
    boolean[] labelled = new boolean[n];
    for (int i = 0; i < n; i++) {
      float[] c = centres[random.nextInt(clusters)];
      for (int t = 0; t < d; t++) {
        rows[i][t] = c[t] + (float) random.nextGaussian();
      }
      labelled[i] = random.nextDouble() < share;
    }
    return Pool.builder(Pools.ids(n), labelled).embeddings(Matrix.ofRows(rows)).build();
  }

  /** k-center greedy written out in double precision: O(n) per pick, no pruning. */
  private static java.util.List<Integer> textbook(Pool pool, int budget) {
    Matrix x = pool.embeddings();
    int n = pool.size();
    double[] nearest = new double[n];
    java.util.Arrays.fill(nearest, Double.POSITIVE_INFINITY);
    java.util.List<Integer> centres = new java.util.ArrayList<>();
    for (int row = 0; row < n; row++) {
      if (pool.isLabelled(row)) {
        centres.add(row);
      }
    }
    java.util.List<Integer> picks = new java.util.ArrayList<>();
    int since = 0;
    while (picks.size() < budget) {
      for (int c = since; c < centres.size(); c++) {
        for (int i = 0; i < n; i++) {
          nearest[i] = Math.min(nearest[i], squared(x, i, centres.get(c)));
        }
      }
      since = centres.size();
      int best = -1;
      for (int i = 0; i < n; i++) {
        if (!pool.isLabelled(i) && !picks.contains(i) && (best < 0 || nearest[i] > nearest[best])) {
          best = i;
        }
      }
      picks.add(best);
      centres.add(best);
    }
    return picks;
  }

  private static double squared(Matrix x, int i, int j) {
    double s = 0;
    for (int t = 0; t < x.cols(); t++) {
      double diff = x.get(i, t) - x.get(j, t);
      s += diff * diff;
    }
    return s;
  }
}
