package io.alfer.ml.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KnnAccuracyTest {
  private static final int A = 0;
  private static final int B = 1;

  /**
   * A unit vector in the plane at {@code degrees}, scaled (cosine similarity ignores the scale).
   */
  private static float[] at(double degrees, double scale) {
    double r = Math.toRadians(degrees);
    return new float[] {(float) (scale * Math.cos(r)), (float) (scale * Math.sin(r))};
  }

  @Test
  void separatedClustersAreClassifiedPerfectly() {
    SplittableRandom random = new SplittableRandom(1);
    int n = 60;
    float[][] embeddings = new float[n][];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 3;
      embeddings[i] = new float[8];
      embeddings[i][labels[i]] = 5f;
      for (int m = 0; m < 8; m++) {
        embeddings[i][m] += (float) random.nextGaussian() * 0.3f;
      }
    }
    assertThat(KnnAccuracy.leaveOneOut(embeddings, labels, 5)).isEqualTo(1.0);
  }

  /**
   * Six points on a circle, worked out by hand: A at 0°, 10°, 20°; B at 90°, 100° and one B inside
   * A at 15°. With k = 1, 10° and 20° see the B at 15° first, and 15° sees an A: 3 of 6. With k = 3
   * the A at 10° and 20° are outvoted 2 to 1 by their A neighbours, 90° and 100° see each other and
   * the intruder (B, B, A), only the intruder stays wrong: 5 of 6.
   */
  @Test
  void matchesAVoteWorkedOutByHand() {
    float[][] embeddings = {at(0, 1), at(10, 2), at(20, 0.5), at(90, 3), at(100, 1), at(15, 7)};
    int[] labels = {A, A, A, B, B, B};
    assertThat(KnnAccuracy.leaveOneOut(embeddings, labels, 1)).isCloseTo(3 / 6.0, within(1e-12));
    assertThat(KnnAccuracy.leaveOneOut(embeddings, labels, 3)).isCloseTo(5 / 6.0, within(1e-12));
  }

  /**
   * k = 2 and every vote a 1–1 tie: the class of the nearer neighbour wins. A at 0°, 10°; B at 30°,
   * 55°. 0° (A 10°, B 30°) → A right; 10° (A 0°, B 30°) → A right; 30° (A 10° is 20° away, B 55° is
   * 25° away) → A wrong; 55° (B 30°, A 10°) → B right: 3 of 4. (A tie going to the smaller class
   * index would give 2 of 4.)
   */
  @Test
  void aTiedVoteGoesToTheMoreSimilarNeighbours() {
    float[][] embeddings = {at(0, 1), at(10, 1), at(30, 1), at(55, 1)};
    int[] labels = {A, A, B, B};
    assertThat(KnnAccuracy.leaveOneOut(embeddings, labels, 2)).isCloseTo(0.75, within(1e-12));
  }

  @Test
  void kIsCappedAtTheOtherItemsAndBadInputIsRefused() {
    float[][] embeddings = {at(0, 1), at(5, 1), at(90, 1)};
    int[] labels = {A, A, B};
    // with every other item voting, each A sees one A and one B (tie: the nearer A wins), the B
    // sees two A
    assertThat(KnnAccuracy.leaveOneOut(embeddings, labels, 20))
        .isEqualTo(KnnAccuracy.leaveOneOut(embeddings, labels, 2))
        .isCloseTo(2 / 3.0, within(1e-12));
    assertThatThrownBy(() -> KnnAccuracy.leaveOneOut(embeddings, new int[] {0, 1}, 1))
        .hasMessageContaining("labels");
    assertThatThrownBy(() -> KnnAccuracy.leaveOneOut(embeddings, new int[] {0, -1, 1}, 1))
        .hasMessageContaining(">= 0");
    assertThatThrownBy(() -> KnnAccuracy.leaveOneOut(embeddings, labels, 0))
        .hasMessageContaining("k must be positive");
    assertThatThrownBy(() -> KnnAccuracy.leaveOneOut(new float[][] {at(0, 1)}, new int[] {A}, 1))
        .hasMessageContaining("at least 2");
  }
}
