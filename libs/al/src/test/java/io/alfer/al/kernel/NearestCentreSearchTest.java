package io.alfer.al.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.al.Matrix;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NearestCentreSearchTest {
  /** {@code clusters} gaussian clusters of unit spread around centres of spread {@code scale}. */
  private static EmbeddingSpace clustered(int n, int d, int clusters, double scale, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[][] middles = new float[clusters][d];
    for (float[] m : middles) {
      for (int t = 0; t < d; t++) {
        m[t] = (float) (random.nextGaussian() * scale);
      }
    }
    float[][] rows = new float[n][d];
    for (int i = 0; i < n; i++) {
      float[] m = middles[random.nextInt(clusters)];
      for (int t = 0; t < d; t++) {
        rows[i][t] = m[t] + (float) random.nextGaussian();
      }
    }
    return new EmbeddingSpace(Matrix.ofRows(rows));
  }

  private static double[] bruteForce(EmbeddingSpace space, int[] centres) {
    double[] best = new double[space.size()];
    for (int i = 0; i < best.length; i++) {
      best[i] = Double.POSITIVE_INFINITY;
      for (int c : centres) {
        best[i] = Math.min(best[i], space.squaredDistance(i, c));
      }
    }
    return best;
  }

  @Test
  void sameValuesAsComparingEveryPointWithEveryCentre() {
    // many centres (several seeds' groups, batches of many sizes), clustered and not
    for (double scale : new double[] {0.0, 2.0, 8.0}) {
      EmbeddingSpace space = clustered(5000, 12, 40, scale, 3);
      int[] centres = new SplittableRandom(5).ints(0, 5000).distinct().limit(700).toArray();
      assertThat(NearestCentreSearch.squaredDistances(space, centres))
          .as("scale %s", scale)
          .containsExactly(bruteForce(space, centres));
    }
  }

  @Test
  void fewCentresNoCentresAndDuplicateRows() {
    EmbeddingSpace space = clustered(300, 5, 3, 5.0, 7);
    int[] few = {4, 100, 250};
    assertThat(NearestCentreSearch.squaredDistances(space, few))
        .containsExactly(bruteForce(space, few));
    assertThat(NearestCentreSearch.squaredDistances(space, new int[0]))
        .containsOnly(Double.POSITIVE_INFINITY);

    float[][] rows = new float[200][3];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = new float[] {i % 4, (i % 4) * 2f, 1f}; // four distinct points, 50 copies each
    }
    EmbeddingSpace copies = new EmbeddingSpace(Matrix.ofRows(rows));
    int[] centres = {0, 4, 8, 1};
    double[] distances = NearestCentreSearch.squaredDistances(copies, centres);
    assertThat(distances).containsExactly(bruteForce(copies, centres));
    assertThat(distances[12]).isZero();
    assertThat(distances[2]).isEqualTo(copies.squaredDistance(2, 1));
  }
}
