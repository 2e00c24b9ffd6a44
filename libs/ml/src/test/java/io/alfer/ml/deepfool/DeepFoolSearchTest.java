package io.alfer.ml.deepfool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.alfer.ml.engine.Constants;
import io.alfer.ml.train.TrainingCancelledException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The generic core on affine classifiers, where the minimal perturbation has a closed form. */
class DeepFoolSearchTest {
  private static final int DIM = 64;
  private static final int CLASSES = 5;
  private static final int COUNT = 40;
  private static final DeepFoolConfig CONFIG = DeepFoolConfig.defaults().withBatchSize(7);

  /** f(x) = W·(x − ½) + b with W (CLASSES × DIM). */
  private record Affine(double[][] w, double[] b) {
    static Affine random(long seed) {
      SplittableRandom random = new SplittableRandom(seed);
      double[][] w = new double[CLASSES][DIM];
      double[] b = new double[CLASSES];
      for (int k = 0; k < CLASSES; k++) {
        for (int j = 0; j < DIM; j++) {
          w[k][j] = random.nextGaussian();
        }
        b[k] = random.nextGaussian();
      }
      return new Affine(w, b);
    }

    DifferentiableClassifier function(NDManager manager) {
      float[] transposed = new float[DIM * CLASSES];
      float[] bias = new float[CLASSES];
      for (int k = 0; k < CLASSES; k++) {
        for (int j = 0; j < DIM; j++) {
          transposed[j * CLASSES + k] = (float) w[k][j];
        }
        bias[k] = (float) b[k];
      }
      NDArray wt = manager.create(transposed, new Shape(DIM, CLASSES));
      NDArray bb = manager.create(bias, new Shape(CLASSES));
      return inputs -> inputs.sub(0.5f).matMul(wt).add(bb);
    }

    double[] logits(float[] x, int offset) {
      double[] f = new double[CLASSES];
      for (int k = 0; k < CLASSES; k++) {
        f[k] = b[k];
        for (int j = 0; j < DIM; j++) {
          f[k] += w[k][j] * (x[offset + j] - 0.5);
        }
      }
      return f;
    }
  }

  /** Inputs near the middle of [0, 1], so that the closed-form perturbation stays inside. */
  private static float[] inputs(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = new float[COUNT * DIM];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextDouble(0.45, 0.55);
    }
    return x;
  }

  @Test
  void onAnAffineClassifierOneStepReachesTheClosestBoundary() {
    Affine affine = Affine.random(3);
    float[] x = inputs(4);
    try (NDManager manager = NDManager.newBaseManager()) {
      DeepFoolResult result =
          new DeepFoolSearch(affine.function(manager), new Shape(DIM), CONFIG)
              .run(manager, DeepFoolSearch.Inputs.of(x, COUNT), DeepFoolHooks.NONE, true);
      for (int i = 0; i < COUNT; i++) {
        double[] f = affine.logits(x, i * DIM);
        int own = argMax(f);
        double closest = Double.POSITIVE_INFINITY;
        int target = -1;
        for (int k = 0; k < CLASSES; k++) {
          if (k != own) {
            double distance =
                Math.abs(f[k] - f[own]) / norm(difference(affine.w[k], affine.w[own]));
            if (distance < closest) {
              closest = distance;
              target = k;
            }
          }
        }
        // the closed form holds only if the step stayed inside [0, 1]: check that it did
        for (int j = 0; j < DIM; j++) {
          float moved = x[i * DIM + j] + 1.02f * result.perturbations()[i * DIM + j];
          assertThat(moved).isBetween(0f, 1f);
        }
        assertThat(result.originalClasses()[i]).isEqualTo(own);
        assertThat(result.flipped()[i]).isTrue();
        assertThat(result.iterations()[i]).isEqualTo(1);
        assertThat((double) result.sizes()[i])
            .as("image %d", i)
            .isCloseTo(closest + DeepFoolSearch.STEP_MARGIN, within(1e-5 + 1e-5 * closest));
        // and r points along w_target − w_own
        double[] direction = difference(affine.w[target], affine.w[own]);
        double scale = (closest + DeepFoolSearch.STEP_MARGIN) / norm(direction);
        for (int j = 0; j < DIM; j++) {
          assertThat((double) result.perturbations()[i * DIM + j])
              .isCloseTo(scale * direction[j], within(1e-5));
        }
      }
    }
  }

  @Test
  void resultsDoNotDependOnTheBatchSizeAndRepeatExactly() {
    Affine affine = Affine.random(5);
    float[] x = inputs(6);
    try (NDManager manager = NDManager.newBaseManager()) {
      DifferentiableClassifier f = affine.function(manager);
      float[] seven = sizes(manager, f, x, CONFIG);
      float[] one = sizes(manager, f, x, CONFIG.withBatchSize(1));
      float[] all = sizes(manager, f, x, CONFIG.withBatchSize(COUNT));
      assertThat(sizes(manager, f, x, CONFIG)).isEqualTo(seven);
      for (int i = 0; i < COUNT; i++) {
        assertThat(one[i]).isCloseTo(seven[i], within(1e-6f));
        assertThat(all[i]).isCloseTo(seven[i], within(1e-6f));
      }
    }
  }

  @Test
  void anUnreachableBoundaryEndsAfterMaxIterationsWithTheClippedAccumulatedPerturbation() {
    // f_0 = 0, f_1 = x − 2: class 1 would need x > 2, outside [0, 1]
    DifferentiableClassifier f = inputs -> inputs.zerosLike().concat(inputs.sub(2f), 1);
    try (NDManager manager = NDManager.newBaseManager()) {
      DeepFoolResult result =
          new DeepFoolSearch(f, new Shape(1), new DeepFoolConfig(12, 0.02, 4))
              .run(
                  manager,
                  DeepFoolSearch.Inputs.of(new float[] {0.5f, 1f}, 2),
                  DeepFoolHooks.NONE,
                  true);
      assertThat(result.flipped()).containsExactly(false, false);
      assertThat(result.iterations()).containsExactly(12, 12);
      assertThat(result.originalClasses()).containsExactly(0, 0);
      // r is projected so that x + (1 + η)·r = 1
      assertThat(result.sizes()[0]).isCloseTo(0.5f / 1.02f, within(1e-6f));
      assertThat(result.sizes()[1]).isZero();
      assertThat(result.perturbations()[0]).isPositive();
    }
  }

  @Test
  void aClassifierWithoutGradientIsStuckAtSizeZeroNeverNaN() {
    DifferentiableClassifier constant =
        inputs ->
            inputs
                .mul(Constants.scalar(inputs, 0)) // engine-owned: the backward pass reads it
                .sum(new int[] {1}, true)
                .repeat(1, 3)
                .add(inputs.getManager().create(new float[] {1f, 0f, 0f}));
    try (NDManager manager = NDManager.newBaseManager()) {
      DeepFoolResult result =
          new DeepFoolSearch(constant, new Shape(4), CONFIG)
              .run(manager, DeepFoolSearch.Inputs.of(new float[8], 2), DeepFoolHooks.NONE, false);
      assertThat(result.sizes()).containsExactly(0f, 0f);
      assertThat(result.flipped()).containsExactly(false, false);
      assertThat(result.iterations()).containsExactly(0, 0);
    }
  }

  @Test
  void reportsProgressAndStopsWhenCancelled() {
    Affine affine = Affine.random(7);
    float[] x = inputs(8);
    try (NDManager manager = NDManager.newBaseManager()) {
      DeepFoolSearch search = new DeepFoolSearch(affine.function(manager), new Shape(DIM), CONFIG);
      List<DeepFoolProgress> reports = new ArrayList<>();
      search.run(
          manager,
          DeepFoolSearch.Inputs.of(x, COUNT),
          new DeepFoolHooks() {
            @Override
            public void onProgress(DeepFoolProgress progress) {
              reports.add(progress);
            }
          },
          false);
      assertThat(reports).isNotEmpty();
      assertThat(reports.get(reports.size() - 1).done()).isEqualTo(COUNT);
      assertThat(reports.get(reports.size() - 1).flipped()).isEqualTo(COUNT);
      assertThat(reports).allSatisfy(p -> assertThat(p.total()).isEqualTo(COUNT));
      assertThat(reports).isSortedAccordingTo((a, b) -> Integer.compare(a.done(), b.done()));

      int[] polls = {0};
      assertThatThrownBy(
              () ->
                  search.run(
                      manager,
                      DeepFoolSearch.Inputs.of(x, COUNT),
                      new DeepFoolHooks() {
                        @Override
                        public boolean isCancelled() {
                          return ++polls[0] > 2;
                        }
                      },
                      false))
          .isInstanceOf(TrainingCancelledException.class);
      assertThat(polls[0]).isEqualTo(3);
    }
  }

  @Test
  void refusesInputsOutsideTheUnitInterval() {
    try (NDManager manager = NDManager.newBaseManager()) {
      DeepFoolSearch search =
          new DeepFoolSearch(Affine.random(1).function(manager), new Shape(DIM), CONFIG);
      float[] x = new float[DIM];
      x[3] = 1.5f;
      assertThatThrownBy(
              () -> search.run(manager, DeepFoolSearch.Inputs.of(x, 1), DeepFoolHooks.NONE, false))
          .hasMessageContaining("input 0")
          .hasMessageContaining("outside [0, 1]");
    }
  }

  @Test
  void configurationIsChecked() {
    assertThat(DeepFoolConfig.defaults().maxIterations()).isEqualTo(50);
    assertThat(DeepFoolConfig.defaults().overshoot()).isEqualTo(0.02);
    assertThatThrownBy(() -> new DeepFoolConfig(0, 0.02, 8)).hasMessageContaining("maxIterations");
    assertThatThrownBy(() -> new DeepFoolConfig(5, Double.NaN, 8))
        .hasMessageContaining("overshoot");
    assertThatThrownBy(() -> new DeepFoolConfig(5, 0.02, 0)).hasMessageContaining("batchSize");
  }

  private static float[] sizes(
      NDManager manager, DifferentiableClassifier f, float[] x, DeepFoolConfig config) {
    return new DeepFoolSearch(f, new Shape(DIM), config)
        .run(manager, DeepFoolSearch.Inputs.of(x, COUNT), DeepFoolHooks.NONE, false)
        .sizes();
  }

  private static int argMax(double[] f) {
    int best = 0;
    for (int k = 1; k < f.length; k++) {
      if (f[k] > f[best]) {
        best = k;
      }
    }
    return best;
  }

  private static double[] difference(double[] a, double[] b) {
    double[] d = new double[a.length];
    for (int j = 0; j < a.length; j++) {
      d[j] = a[j] - b[j];
    }
    return d;
  }

  private static double norm(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }
}
