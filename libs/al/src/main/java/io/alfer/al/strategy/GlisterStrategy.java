package io.alfer.al.strategy;

import io.alfer.al.Input;
import io.alfer.al.LinearHead;
import io.alfer.al.Matrix;
import io.alfer.al.ParameterSpec;
import io.alfer.al.Parameters;
import io.alfer.al.Pick;
import io.alfer.al.Pool;
import io.alfer.al.kernel.Parallel;
import io.alfer.al.kernel.Vectors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code glister}: GLISTER-Active (Killamsetty et al. 2021) with its last-layer gradient
 * approximation. The labelled items, with their true labels, are the validation set. Each greedy
 * step takes the unlabelled item whose last-layer gradient {@code g_i = (p_i - e_ŷ) ⊗ x_i} (under
 * its predicted label) best aligns with the validation-loss gradient, i.e. whose one-step update
 * {@code W ← W - lr·g_i} most reduces the validation loss by the Taylor estimate {@code lr · g_i ·
 * ∇L_V}; then it applies that update to the head and recomputes {@code ∇L_V} at the new weights
 * (exactly, through the validation logits). Score = {@code lr · g_i · ∇L_V} when chosen.
 *
 * <p>Parameters: {@code lr} (the step size η, default 0.01, &gt; 0), {@code greedy} ({@code
 * stochastic}, the default: each step evaluates a seeded random sample of {@code
 * (n/budget)·ln(1/ε)} remaining items, Mirzasoleiman et al.'s stochastic greedy; {@code standard}:
 * every remaining item, O(n·c·d) per step), {@code epsilon} (ε of stochastic greedy, default 0.01,
 * in (0, 1)). Needs at least one labelled item.
 */
public final class GlisterStrategy extends BaseStrategy {
  static final List<ParameterSpec> PARAMETERS =
      List.of(
          new ParameterSpec("lr", "0.01", "step size η of the simulated head update, > 0"),
          new ParameterSpec(
              "greedy",
              "stochastic",
              "stochastic (sampled candidates per step) or standard (all candidates)"),
          new ParameterSpec(
              "epsilon", "0.01", "ε of stochastic greedy: (n/budget)·ln(1/ε) candidates a step"));

  private final double lr;
  private final boolean stochastic;
  private final double epsilon;

  public GlisterStrategy(Parameters parameters) {
    super("glister", parameters, Set.of(Input.EMBEDDINGS, Input.HEAD, Input.LABELS));
    this.lr = parameters.doubleValue("lr", Double.MIN_VALUE, 1e6, true);
    this.stochastic =
        parameters.choice("greedy", List.of("stochastic", "standard")).equals("stochastic");
    this.epsilon = parameters.doubleValue("epsilon", Double.MIN_VALUE, 1.0, false);
  }

  @Override
  public List<Pick> choose(Pool pool, int count, long seed) {
    Matrix x = pool.embeddings();
    LinearHead head = pool.head();
    int dim = x.cols();
    int classes = head.classes();
    int[] validation = labelledRows(pool);
    int[] labels = pool.labels();
    for (int row : validation) {
      if (labels[row] < 0 || labels[row] >= classes) {
        throw new IllegalArgumentException(
            "label of '"
                + pool.id(row)
                + "' is "
                + labels[row]
                + ", not a class in [0, "
                + classes
                + ")");
      }
    }
    int[] remaining = pool.unlabelledRows().clone();
    float[] residuals = residuals(x, head, remaining);
    double[] validationLogits = logits(x, head, validation);
    float[] gradient = new float[classes * dim];
    validationGradient(x, validation, labels, validationLogits, classes, gradient);

    int size = remaining.length;
    int sample =
        stochastic
            ? (int) Math.ceil((double) remaining.length / count * Math.log(1.0 / epsilon))
            : Integer.MAX_VALUE;
    SplittableRandom random = new SplittableRandom(seed);
    List<Pick> picks = new ArrayList<>(count);
    float[] residualOf = new float[classes];
    while (picks.size() < count) {
      int candidates = Math.min(sample, size);
      for (int i = 0; i < candidates && candidates < size; i++) {
        swap(remaining, residuals, classes, i, i + random.nextInt(size - i));
      }
      double[] gains = new double[candidates];
      Parallel.forChunks(
          candidates,
          256,
          (chunk, from, to) -> {
            for (int i = from; i < to; i++) {
              gains[i] = gain(x, remaining[i], residuals, i, gradient, classes);
            }
          });
      int best = 0;
      for (int i = 1; i < candidates; i++) {
        if (gains[i] > gains[best] || (gains[i] == gains[best] && remaining[i] < remaining[best])) {
          best = i;
        }
      }
      int row = remaining[best];
      picks.add(new Pick(pool.id(row), row, lr * gains[best]));
      System.arraycopy(residuals, best * classes, residualOf, 0, classes);
      swap(remaining, residuals, classes, best, --size);
      step(x, row, residualOf, validation, validationLogits, classes);
      validationGradient(x, validation, labels, validationLogits, classes, gradient);
    }
    return picks;
  }

  private static int[] labelledRows(Pool pool) {
    int[] rows = new int[pool.labelledCount()];
    if (rows.length == 0) {
      throw new IllegalArgumentException(
          "glister needs at least one labelled item: the labelled set is its validation set");
    }
    for (int row = 0, k = 0; row < pool.size(); row++) {
      if (pool.isLabelled(row)) {
        rows[k++] = row;
      }
    }
    return rows;
  }

  /** {@code p - e_ŷ} of every row in {@code rows}, with p from the head. */
  private static float[] residuals(Matrix x, LinearHead head, int[] rows) {
    int classes = head.classes();
    double[] logits = logits(x, head, rows);
    float[] residuals = new float[rows.length * classes];
    Parallel.forChunks(
        rows.length,
        4096,
        (chunk, from, to) -> {
          double[] z = new double[classes];
          double[] p = new double[classes];
          for (int k = from; k < to; k++) {
            System.arraycopy(logits, k * classes, z, 0, classes);
            Vectors.softmax(z, p);
            int label = 0;
            for (int c = 1; c < classes; c++) {
              label = p[c] > p[label] ? c : label;
            }
            for (int c = 0; c < classes; c++) {
              residuals[k * classes + c] = (float) (p[c] - (c == label ? 1.0 : 0.0));
            }
          }
        });
    return residuals;
  }

  private static double[] logits(Matrix x, LinearHead head, int[] rows) {
    int classes = head.classes();
    int dim = x.cols();
    float[] w = head.weights().data();
    double[] logits = new double[rows.length * classes];
    Parallel.forChunks(
        rows.length,
        4096,
        (chunk, from, to) -> {
          for (int k = from; k < to; k++) {
            for (int c = 0; c < classes; c++) {
              logits[k * classes + c] =
                  head.bias()[c] + Vectors.dot(w, c * dim, x.data(), rows[k] * dim, dim);
            }
          }
        });
    return logits;
  }

  /**
   * {@code ∇_W L_V = (1/|V|) Σ_j (softmax(z_j) - e_{y_j}) ⊗ x_j}, written into {@code out}; in
   * parallel over column blocks, each summing the items in the same order.
   */
  private static void validationGradient(
      Matrix x, int[] validation, int[] labels, double[] logits, int classes, float[] out) {
    int dim = x.cols();
    float[] data = x.data();
    float[] weights = new float[validation.length * classes];
    double[] z = new double[classes];
    double[] p = new double[classes];
    for (int j = 0; j < validation.length; j++) {
      System.arraycopy(logits, j * classes, z, 0, classes);
      Vectors.softmax(z, p);
      for (int c = 0; c < classes; c++) {
        double target = c == labels[validation[j]] ? 1.0 : 0.0;
        double weight = (p[c] - target) / validation.length;
        // saturated softmax terms would make subnormal floats, which are ~100× slower
        weights[j * classes + c] = Math.abs(weight) < 1e-30 ? 0f : (float) weight;
      }
    }
    Arrays.fill(out, 0f);
    Parallel.forChunks(
        dim,
        64,
        (chunk, from, to) -> {
          for (int j = 0; j < validation.length; j++) {
            int xOff = validation[j] * dim;
            for (int c = 0; c < classes; c++) {
              float b = weights[j * classes + c];
              if (b == 0f) {
                continue;
              }
              int gOff = c * dim;
              for (int t = from; t < to; t++) {
                out[gOff + t] += b * data[xOff + t];
              }
            }
          }
        });
  }

  /** {@code g_i · ∇L_V = Σ_c a_ic (∇L_V[c] · x_i)}. */
  private static double gain(
      Matrix x, int row, float[] residuals, int k, float[] gradient, int classes) {
    int dim = x.cols();
    double g = 0;
    for (int c = 0; c < classes; c++) {
      g += residuals[k * classes + c] * Vectors.dot(gradient, c * dim, x.data(), row * dim, dim);
    }
    return g;
  }

  /** Applies {@code W ← W - lr (a ⊗ x_row)} to the validation logits. */
  private void step(
      Matrix x, int row, float[] residual, int[] validation, double[] logits, int classes) {
    int dim = x.cols();
    Parallel.forChunks(
        validation.length,
        128,
        (chunk, from, to) -> {
          for (int j = from; j < to; j++) {
            double similarity =
                Vectors.dot(x.data(), row * dim, x.data(), validation[j] * dim, dim);
            for (int c = 0; c < classes; c++) {
              logits[j * classes + c] -= lr * residual[c] * similarity;
            }
          }
        });
  }

  private static void swap(int[] rows, float[] residuals, int classes, int i, int j) {
    int t = rows[i];
    rows[i] = rows[j];
    rows[j] = t;
    for (int c = 0; c < classes; c++) {
      float r = residuals[i * classes + c];
      residuals[i * classes + c] = residuals[j * classes + c];
      residuals[j * classes + c] = r;
    }
  }
}
