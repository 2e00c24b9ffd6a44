package io.alfer.al.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.alfer.al.Matrix;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DotsTest {
  private static float[] gaussian(int length, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = new float[length];
    for (int i = 0; i < length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    return x;
  }

  @Test
  void everyKernelGivesTheBitsOfTheOneChainProductWhateverItIsGroupedWith() {
    for (int dim : new int[] {1, 7, 64, 131}) {
      int n = 40;
      float[] x = gaussian(n * dim, dim);
      for (int count = 0; count <= 19; count++) {
        int[] rows = new SplittableRandom(count).ints(count, 0, n).toArray();
        double[] out = new double[count];
        Dots.dots(x, 3 * dim, x, dim, rows, 0, count, out);
        Tile tile = new Tile(dim, n).load(x, rows, 0, count);
        float[] acc = new float[count];
        tile.dots(x, 3 * dim, acc);
        for (int k = 0; k < count; k++) {
          float expected = Dots.dot(x, 3 * dim, x, rows[k] * dim, dim);
          assertThat(out[k]).isEqualTo(expected);
          assertThat(acc[k]).isEqualTo(expected);
          assertThat(tile.row(k)).isEqualTo(rows[k]);
          double exact = 0;
          for (int t = 0; t < dim; t++) {
            exact += (double) x[3 * dim + t] * x[rows[k] * dim + t];
          }
          assertThat((double) expected).isCloseTo(exact, within(1e-4 * dim));
        }
      }
      double[] norms = new double[n];
      Dots.squaredNorms(x, dim, null, 0, n, norms);
      int[] some = {5, 1, 39, 0, 7, 7, 22, 3, 9, 11, 2};
      double[] picked = new double[some.length];
      Dots.squaredNorms(x, dim, some, 0, some.length, picked);
      for (int i = 0; i < n; i++) {
        assertThat(norms[i]).isEqualTo(Dots.dot(x, i * dim, x, i * dim, dim));
      }
      for (int k = 0; k < some.length; k++) {
        assertThat(picked[k]).isEqualTo(norms[some[k]]);
      }
    }
  }

  @Test
  void batchedAndTiledDistancesEqualTheOneByOneDistancesAndSelfDistanceIsZero() {
    int n = 300;
    int d = 37;
    Matrix m = new Matrix(gaussian(n * d, 5), n, d);
    for (EmbeddingSpace space :
        new EmbeddingSpace[] {new EmbeddingSpace(m), EmbeddingSpace.unit(m)}) {
      int[] js = new SplittableRandom(3).ints(50, 0, n).toArray();
      js[7] = 11;
      double[] batched = new double[50];
      space.squaredDistances(11, js, 0, 50, batched);
      Tile tile = space.loadTile(space.newTile(50), js, 0, 50);
      double[] tiled = new double[50];
      space.squaredDistances(11, tile, new float[50], tiled);
      for (int k = 0; k < 50; k++) {
        assertThat(batched[k]).isEqualTo(space.squaredDistance(11, js[k]));
        assertThat(tiled[k]).isEqualTo(batched[k]);
      }
      assertThat(batched[7]).isZero();
    }
    EmbeddingSpace unit = EmbeddingSpace.unit(m);
    EmbeddingSpace raw = new EmbeddingSpace(m);
    for (int i = 0; i < n; i++) {
      assertThat(unit.squaredNorm(i)).isCloseTo(1.0, within(1e-6));
      double direct = 0;
      double norm = Math.sqrt(raw.squaredNorm(i));
      double norm5 = Math.sqrt(raw.squaredNorm(5));
      for (int t = 0; t < d; t++) {
        double a = m.get(i, t) / norm - m.get(5, t) / norm5;
        direct += a * a;
      }
      assertThat(unit.squaredDistance(i, 5)).isCloseTo(direct, within(1e-5));
    }
  }
}
