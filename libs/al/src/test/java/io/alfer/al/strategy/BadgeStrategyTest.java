package io.alfer.al.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.alfer.al.Matrix;
import io.alfer.al.Pool;
import io.alfer.al.Pools;
import io.alfer.al.Selection;
import org.junit.jupiter.api.Test;

class BadgeStrategyTest {
  @Test
  void startsFromTheLargestGradientThenSpreadsOverDistinctGradients() {
    // rows 0-2 confident (tiny gradients), rows 3-5 uncertain between class 0 and 1 with
    // embeddings along different axes; row 6 labelled
    Pool pool =
        Pool.builder(Pools.ids(7), new boolean[] {false, false, false, false, false, false, true})
            .embeddings(
                Matrix.ofRows(
                    new float[] {1, 0, 0},
                    new float[] {1, 0.01f, 0},
                    new float[] {1, 0, 0.01f},
                    new float[] {3, 0, 0},
                    new float[] {0, 3, 0},
                    new float[] {0, 0, 2.9f},
                    new float[] {9, 9, 9}))
            .probabilities(
                Matrix.ofRows(
                    new float[] {0.99f, 0.01f},
                    new float[] {0.99f, 0.01f},
                    new float[] {0.99f, 0.01f},
                    new float[] {0.5f, 0.5f},
                    new float[] {0.5f, 0.5f},
                    new float[] {0.5f, 0.5f},
                    new float[] {0.5f, 0.5f}))
            .build();
    Selection s = Strategies.create("badge").select(pool, 3, 17);

    // |g|² = |p - e_ŷ|² |x|² = 0.5 · 9 for rows 3 and 4 (row 3 wins the tie), 0.5 · 8.41 for row 5
    assertThat(s.ids().get(0)).isEqualTo("r3");
    assertThat(s.picks().get(0).score()).isCloseTo(4.5, within(1e-5));
    // every later score is the squared gradient distance to the nearest earlier pick
    for (int i = 1; i < 3; i++) {
      double nearest = Double.POSITIVE_INFINITY;
      for (int j = 0; j < i; j++) {
        nearest =
            Math.min(
                nearest, gradientDistance(pool, s.picks().get(i).row(), s.picks().get(j).row()));
      }
      assertThat(s.picks().get(i).score()).isCloseTo(nearest, within(1e-4));
    }
  }

  private static double gradientDistance(Pool pool, int a, int b) {
    Matrix x = pool.embeddings();
    Matrix p = pool.probabilities();
    double sum = 0;
    for (int k = 0; k < p.cols(); k++) {
      for (int t = 0; t < x.cols(); t++) {
        double ga = (p.get(a, k) - (k == argmax(p, a) ? 1 : 0)) * x.get(a, t);
        double gb = (p.get(b, k) - (k == argmax(p, b) ? 1 : 0)) * x.get(b, t);
        sum += (ga - gb) * (ga - gb);
      }
    }
    return sum;
  }

  private static int argmax(Matrix p, int row) {
    int best = 0;
    for (int k = 1; k < p.cols(); k++) {
      best = p.get(row, k) > p.get(row, best) ? k : best;
    }
    return best;
  }

  @Test
  void seedChangesTheDrawsButNotTheFirstPick() {
    Pool pool = Pools.random(300, 6, 4, 0.1, 9);
    Selection a = Strategies.create("badge").select(pool, 20, 1);
    Selection b = Strategies.create("badge").select(pool, 20, 2);
    assertThat(a.ids().get(0)).isEqualTo(b.ids().get(0));
    assertThat(a.ids()).isNotEqualTo(b.ids());
  }
}
