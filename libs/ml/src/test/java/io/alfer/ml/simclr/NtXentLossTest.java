package io.alfer.ml.simclr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.alfer.ml.ReleasedMemory;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NtXentLossTest {
  private static final int N = 4;
  private static final int D = 5;
  private static final double TAU = 0.5;

  @Test
  void valueMatchesDirectDefinition() {
    double[] z = randomProjections(1);
    try (NDManager manager = NDManager.newBaseManager()) {
      double loss = new NtXentLoss(TAU).compute(first(manager, z), second(manager, z)).getDouble();
      assertThat(loss).isCloseTo(reference(z), within(1e-12));
    }
  }

  @Test
  void float64GradientMatchesFiniteDifferences() {
    double[] z = randomProjections(2);
    double[] analytic;
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = first(manager, z);
      NDArray b = second(manager, z);
      a.setRequiresGradient(true);
      b.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(new NtXentLoss(TAU).compute(a, b));
      }
      double[] ga = a.getGradient().toDoubleArray();
      double[] gb = b.getGradient().toDoubleArray();
      analytic = new double[2 * N * D];
      System.arraycopy(ga, 0, analytic, 0, N * D);
      System.arraycopy(gb, 0, analytic, N * D, N * D);
    }
    double h = 1e-6;
    double maxError = 0;
    for (int i = 0; i < z.length; i++) {
      double[] plus = z.clone();
      double[] minus = z.clone();
      plus[i] += h;
      minus[i] -= h;
      double numeric = (reference(plus) - reference(minus)) / (2 * h);
      double scale = Math.max(1e-3, Math.abs(numeric) + Math.abs(analytic[i]));
      maxError = Math.max(maxError, Math.abs(numeric - analytic[i]) / scale);
    }
    assertThat(maxError).isLessThan(1e-6);
    assertThat(Arrays.stream(analytic).map(Math::abs).max().orElseThrow()).isGreaterThan(1e-3);
  }

  /**
   * The failing case behind SimCLR's NaN gradients at a finite loss: a garbage collection between
   * the forward and the backward pass. The backward pass must read nothing whose memory Java owned,
   * so the gradient is the same, bit for bit, with or without that collection.
   */
  @Test
  void gradientIsUnchangedByGarbageCollectionBetweenForwardAndBackward() {
    double[] z = randomProjections(3);
    float[] undisturbed = float32Gradient(z, false);
    float[] collected = float32Gradient(z, true);
    assertThat(collected).containsExactly(undisturbed);
    for (float g : undisturbed) {
      assertThat(g).isFinite();
    }
  }

  private static float[] float32Gradient(double[] z, boolean collectBeforeBackward) {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = first(manager, z).toType(DataType.FLOAT32, true);
      NDArray b = second(manager, z).toType(DataType.FLOAT32, true);
      a.setRequiresGradient(true);
      b.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray loss = new NtXentLoss(0.1).compute(a, b);
        if (collectBeforeBackward) {
          ReleasedMemory.free();
        }
        collector.backward(loss);
      }
      return a.getGradient().concat(b.getGradient(), 0).toFloatArray();
    }
  }

  @Test
  void identicalViewsFarFromOthersGiveLowLoss() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray views = manager.eye(N).toType(DataType.FLOAT64, false);
      double aligned = new NtXentLoss(0.1).compute(views, views).getDouble();
      NDArray shuffled = views.get("1:").concat(views.get("0:1"), 0);
      double misaligned = new NtXentLoss(0.1).compute(views, shuffled).getDouble();
      assertThat(aligned).isLessThan(misaligned);
    }
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> new NtXentLoss(0)).hasMessageContaining("temperature");
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = manager.ones(new Shape(3, 2));
      NDArray b = manager.ones(new Shape(2, 2));
      assertThatThrownBy(() -> new NtXentLoss(1).compute(a, b)).hasMessageContaining("same shape");
    }
  }

  private static double[] randomProjections(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] z = new double[2 * N * D];
    for (int i = 0; i < z.length; i++) {
      z[i] = random.nextGaussian();
    }
    return z;
  }

  private static NDArray first(NDManager manager, double[] z) {
    double[] part = new double[N * D];
    System.arraycopy(z, 0, part, 0, N * D);
    return manager.create(part, new Shape(N, D));
  }

  private static NDArray second(NDManager manager, double[] z) {
    double[] part = new double[N * D];
    System.arraycopy(z, N * D, part, 0, N * D);
    return manager.create(part, new Shape(N, D));
  }

  /** NT-Xent straight from its definition, in plain Java doubles. */
  private static double reference(double[] z) {
    int m = 2 * N;
    double[][] u = new double[m][D];
    for (int i = 0; i < m; i++) {
      double norm = 0;
      for (int k = 0; k < D; k++) {
        norm += z[i * D + k] * z[i * D + k];
      }
      norm = Math.sqrt(norm + 1e-12);
      for (int k = 0; k < D; k++) {
        u[i][k] = z[i * D + k] / norm;
      }
    }
    double total = 0;
    for (int i = 0; i < m; i++) {
      int positive = (i + N) % m;
      double denominator = 0;
      double numerator = 0;
      for (int j = 0; j < m; j++) {
        if (j == i) {
          continue;
        }
        double s = 0;
        for (int k = 0; k < D; k++) {
          s += u[i][k] * u[j][k];
        }
        double e = Math.exp(s / TAU);
        denominator += e;
        if (j == positive) {
          numerator = e;
        }
      }
      total -= Math.log(numerator / denominator);
    }
    return total / m;
  }
}
