package io.alfer.ml.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinearProbeAccuracyTest {
  /**
   * Classes that only a linear read-out separates: every item is dominated by a large nuisance
   * direction shared at random, and the class is a small offset along its own axis. Cosine
   * neighbours follow the nuisance (k-NN near chance); a linear classifier ignores it.
   */
  @Test
  void findsClassesThatNeighboursMiss() {
    SplittableRandom random = new SplittableRandom(3);
    int n = 150;
    int d = 10;
    float[][] x = new float[n][d];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 3;
      for (int j = 0; j < d; j++) {
        x[i][j] = (float) (random.nextGaussian() * 0.05);
      }
      double nuisance = random.nextGaussian() * 20;
      x[i][3] += (float) nuisance;
      x[i][4] += (float) (random.nextGaussian() * 20);
      x[i][labels[i]] += 1f;
    }
    double linear = LinearProbeAccuracy.crossValidated(x, labels, 5, 1.0);
    double knn = KnnAccuracy.leaveOneOut(x, labels, 20);
    assertThat(linear).isGreaterThan(0.95);
    assertThat(knn).isLessThan(0.6);
  }

  /**
   * Two classes on one feature, worked out by hand. Items 0..5 have x = −3, −2, −1, 1, 2, 3 and
   * labels 0, 0, 0, 1, 1, 1; with two folds (even and odd positions) and λ = 0 each fold's least
   * squares line crosses ½ at x = ∓1/8, between the classes, so every prediction is right; with a
   * constant feature the bias alone predicts the training folds' majority.
   */
  @Test
  void separatesAThresholdAndFallsBackToTheMajorityWithoutInformation() {
    float[][] x = {{-3}, {-2}, {-1}, {1}, {2}, {3}};
    int[] labels = {0, 0, 0, 1, 1, 1};
    assertThat(LinearProbeAccuracy.crossValidated(x, labels, 2, 0)).isEqualTo(1.0);
    float[][] constant = {{5}, {5}, {5}, {5}, {5}, {5}};
    int[] mostlyOne = {1, 1, 1, 1, 0, 1};
    // every fold's training part is mostly 1: 5 of 6 right
    assertThat(LinearProbeAccuracy.crossValidated(constant, mostlyOne, 3, 1.0))
        .isCloseTo(5 / 6.0, within(1e-12));
  }

  @Test
  void refusesBadInput() {
    float[][] x = {{1}, {2}, {3}};
    assertThatThrownBy(() -> LinearProbeAccuracy.crossValidated(x, new int[] {0, 1}, 2, 1))
        .hasMessageContaining("labels");
    assertThatThrownBy(() -> LinearProbeAccuracy.crossValidated(x, new int[] {0, 1, 0}, 1, 1))
        .hasMessageContaining("folds");
    assertThatThrownBy(() -> LinearProbeAccuracy.crossValidated(x, new int[] {0, 1, 0}, 2, -1))
        .hasMessageContaining("ridge");
    assertThatThrownBy(() -> LinearProbeAccuracy.crossValidated(x, new int[] {0, -1, 0}, 2, 1))
        .hasMessageContaining(">= 0");
  }
}
