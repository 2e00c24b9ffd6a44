package io.alfer.al.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.alfer.al.Matrix;
import io.alfer.al.Pools;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NearestCentresTest {
  @Test
  void prunedUpdatesMatchBruteForce() {
    Matrix x = Pools.random(3000, 6, 2, 0, 8).embeddings();
    EmbeddingSpace space = new EmbeddingSpace(x);
    NearestCentres centres = new NearestCentres(space);
    SplittableRandom random = new SplittableRandom(1);
    int[] chosen = new int[60];
    for (int c = 0; c < chosen.length; c++) {
      chosen[c] = random.nextInt(x.rows());
      centres.add(chosen[c]);
    }
    for (int i = 0; i < x.rows(); i++) {
      double best = Double.POSITIVE_INFINITY;
      for (int c : chosen) {
        best = Math.min(best, space.squaredDistance(i, c));
      }
      assertThat(centres.minSquaredDistance(i)).isCloseTo(best, within(1e-4));
      assertThat(space.squaredDistance(i, centres.centre(centres.owner(i))))
          .isCloseTo(best, within(1e-4));
    }
  }

  @Test
  void kMeansPlusPlusDrawsProportionallyToSquaredDistance() {
    // centre at 0; the other points at distance 1 and 3: D² weights 1 and 9
    Matrix x = Matrix.ofRows(new float[] {0f}, new float[] {1f}, new float[] {-3f});
    NearestCentres centres = new NearestCentres(new EmbeddingSpace(x));
    centres.add(0);
    boolean[] excluded = {true, false, false};
    SplittableRandom random = new SplittableRandom(42);
    int far = 0;
    int draws = 4000;
    for (int t = 0; t < draws; t++) {
      int drawn = centres.sample(random, excluded);
      assertThat(drawn).isIn(1, 2);
      far += drawn == 2 ? 1 : 0;
    }
    assertThat(far / (double) draws).isCloseTo(0.9, within(0.02));
  }

  @Test
  void kMeansPlusPlusSeedingWithAFixedSeedIsReproducibleAndSpreadsOverBlobs() {
    // three tight blobs far apart: D² sampling almost surely seeds each one once
    float[][] rows = new float[30][];
    for (int i = 0; i < 30; i++) {
      rows[i] = new float[] {(i / 10) * 100f + (i % 10) * 0.01f, (i % 3) * 0.01f};
    }
    Matrix x = Matrix.ofRows(rows);
    Clustering a = Clustering.kMeansPlusPlus(new EmbeddingSpace(x), 3, new SplittableRandom(5));
    Clustering b = Clustering.kMeansPlusPlus(new EmbeddingSpace(x), 3, new SplittableRandom(5));
    int[] seedsA = {a.seed(0), a.seed(1), a.seed(2)};
    assertThat(new int[] {b.seed(0), b.seed(1), b.seed(2)}).isEqualTo(seedsA);
    assertThat(java.util.Arrays.stream(seedsA).map(s -> s / 10).distinct().count()).isEqualTo(3);
    for (int c = 0; c < 3; c++) {
      assertThat(a.size(c)).isEqualTo(10);
    }
  }

  @Test
  void farthestBreaksTiesTowardsTheLowerIndex() {
    Matrix x = Matrix.ofRows(new float[] {0f}, new float[] {2f}, new float[] {-2f});
    NearestCentres centres = new NearestCentres(new EmbeddingSpace(x));
    centres.add(0);
    assertThat(centres.farthest(new boolean[] {true, false, false})).isEqualTo(1);
    assertThat(centres.farthest(new boolean[] {true, true, true})).isEqualTo(-1);
  }
}
