package io.alfer.al.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.alfer.al.Matrix;
import io.alfer.al.Pool;
import io.alfer.al.Pools;
import org.junit.jupiter.api.Test;

class GradientSpaceTest {
  @Test
  void distancesEqualThoseOfTheMaterialisedOuterProducts() {
    Pool pool = Pools.random(40, 5, 3, 0, 2);
    Matrix x = pool.embeddings();
    Matrix p = pool.probabilities();
    int[] rows = {3, 7, 11, 19, 23};
    GradientSpace space = new GradientSpace(x, p, rows);
    double[][] g = new double[rows.length][];
    for (int k = 0; k < rows.length; k++) {
      g[k] = gradient(x, p, rows[k]);
    }
    for (int i = 0; i < rows.length; i++) {
      for (int j = 0; j < rows.length; j++) {
        double expected = 0;
        for (int t = 0; t < g[i].length; t++) {
          expected += (g[i][t] - g[j][t]) * (g[i][t] - g[j][t]);
        }
        assertThat(space.squaredDistance(i, j)).isCloseTo(expected, within(1e-4));
      }
    }
  }

  /** (p - e_argmax) ⊗ x written out. */
  private static double[] gradient(Matrix x, Matrix p, int row) {
    int c = p.cols();
    int label = 0;
    for (int k = 1; k < c; k++) {
      label = p.get(row, k) > p.get(row, label) ? k : label;
    }
    double[] g = new double[c * x.cols()];
    for (int k = 0; k < c; k++) {
      for (int t = 0; t < x.cols(); t++) {
        g[k * x.cols() + t] = (p.get(row, k) - (k == label ? 1 : 0)) * x.get(row, t);
      }
    }
    return g;
  }
}
