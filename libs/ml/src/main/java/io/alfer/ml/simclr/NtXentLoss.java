package io.alfer.ml.simclr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.alfer.ml.engine.Constants;

/**
 * SimCLR's normalised temperature-scaled cross entropy. For 2N projections (two views of N images)
 * each projection's positive is the other view of its image and its negatives are the other 2N − 2
 * projections: loss = mean over i of −log(exp(s(i, p(i))/τ) / Σ_{k≠i} exp(s(i, k)/τ)), with s the
 * cosine similarity. Works in the arrays' own type (float32 in training, float64 for the gradient
 * check).
 *
 * <p>Every array the backward pass reads is owned by the engine: the constants come from {@link
 * Constants} and the masks are built by the engine, never wrapped around Java memory that a garbage
 * collection may free between the forward and the backward pass. A projection's own similarity is
 * pushed out of the softmax by subtracting a finite penalty (its log-probability becomes about
 * −10⁹, which the positive mask multiplies by 0, never −∞·0).
 */
public final class NtXentLoss {
  private static final double SELF_SIMILARITY_PENALTY = 1e9;
  private static final double NORM_EPSILON = 1e-12;

  private final double temperature;

  public NtXentLoss(double temperature) {
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be positive, got " + temperature);
    }
    this.temperature = temperature;
  }

  public double temperature() {
    return temperature;
  }

  /**
   * The loss of two batches of projections, each (N, d), row i of both being views of image i.
   *
   * @return a scalar array
   */
  public NDArray compute(NDArray first, NDArray second) {
    if (!first.getShape().equals(second.getShape()) || first.getShape().dimension() != 2) {
      throw new IllegalArgumentException(
          "NT-Xent needs two (N, d) batches of the same shape, got "
              + first.getShape()
              + " and "
              + second.getShape());
    }
    int n = (int) first.getShape().get(0);
    if (n < 2) {
      throw new IllegalArgumentException("NT-Xent needs at least 2 images per batch, got " + n);
    }
    NDManager manager = first.getManager();
    DataType type = first.getDataType();
    NDArray z = first.concat(second, 0);
    NDArray norm =
        z.square().sum(new int[] {1}, true).add(Constants.scalar(z, NORM_EPSILON)).sqrt();
    NDArray unit = z.div(norm);
    NDArray logits = unit.matMul(unit.transpose()).div(Constants.scalar(z, temperature));
    NDArray penalty =
        manager.eye(2 * n, 2 * n, 0, type).mul(Constants.scalar(z, SELF_SIMILARITY_PENALTY));
    NDArray logProbabilities = logits.sub(penalty).logSoftmax(1);
    return logProbabilities
        .mul(positives(manager, n, type))
        .sum()
        .neg()
        .div(Constants.scalar(z, 2.0 * n));
  }

  /** The 2N × 2N mask of positive pairs: [[0, I], [I, 0]]. */
  private static NDArray positives(NDManager manager, int n, DataType type) {
    NDArray identity = manager.eye(n, n, 0, type);
    NDArray zeros = manager.zeros(new Shape(n, n), type);
    return zeros.concat(identity, 1).concat(identity.concat(zeros, 1), 0);
  }
}
