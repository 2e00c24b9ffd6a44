package io.alfer.al.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.alfer.al.Matrix;
import io.alfer.al.Pools;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CellIndexTest {
  private final Matrix x = Pools.random(3000, 5, 2, 0, 21).embeddings();
  private final EmbeddingSpace space = new EmbeddingSpace(x);
  private final CellIndex index = CellIndex.build(space, new SplittableRandom(4));

  @Test
  void everyPointLiesInOneCellWithinItsRadiusAndNoCellIsFarAboveTheMeanSize() {
    int n = x.rows();
    boolean[] seen = new boolean[n];
    double mean = (double) n / index.cellCount();
    for (int c = 0; c < index.cellCount(); c++) {
      assertThat(index.start(c + 1) - index.start(c)).isLessThanOrEqualTo((int) (4 * mean));
      for (int e = index.start(c); e < index.start(c + 1); e++) {
        int i = index.members()[e];
        assertThat(seen[i]).isFalse();
        seen[i] = true;
        assertThat(index.cellOf(i)).isEqualTo(c);
        assertThat(index.toCentroid(i, c)).isLessThanOrEqualTo(index.radius(c) + 1e-6);
      }
    }
    assertThat(seen).doesNotContain(false);
    assertThat(index.cellCount()).isBetween(40, 70); // about √3000 = 55
  }

  @Test
  void distanceToTheNearestPointOfAnotherLabelIsExact() {
    int n = x.rows();
    int[] label = new int[n];
    for (int i = 0; i < n; i++) {
      label[i] = x.get(i, 0) > 0.3 ? 1 : 0; // a half-space: labels follow the geometry
    }
    int[] cellLabel = new int[index.cellCount()];
    for (int c = 0; c < cellLabel.length; c++) {
      cellLabel[c] = label[index.members()[index.start(c)]];
      for (int e = index.start(c); e < index.start(c + 1); e++) {
        if (label[index.members()[e]] != cellLabel[c]) {
          cellLabel[c] = -1;
        }
      }
    }
    int[] queries = new SplittableRandom(8).ints(200, 0, n).toArray();
    double[] found = index.distancesToOtherLabel(queries, label, cellLabel);
    for (int q = 0; q < queries.length; q++) {
      double best = Double.POSITIVE_INFINITY;
      for (int j = 0; j < n; j++) {
        if (label[j] != label[queries[q]]) {
          best = Math.min(best, Math.sqrt(space.squaredDistance(queries[q], j)));
        }
      }
      assertThat(found[q]).isCloseTo(best, within(1e-9));
    }
  }
}
