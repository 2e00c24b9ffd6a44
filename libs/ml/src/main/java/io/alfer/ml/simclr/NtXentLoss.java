package io.alfer.ml.simclr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * SimCLR's normalised temperature-scaled cross entropy. For 2N projections (two views of N images)
 * each projection's positive is the other view of its image and its negatives are the other 2N − 2
 * projections: loss = mean over i of −log(exp(s(i, p(i))/τ) / Σ_{k≠i} exp(s(i, k)/τ)), with s the
 * cosine similarity. Works in the arrays' own type (float32 in training, float64 for the gradient
 * check).
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
    NDArray z = first.concat(second, 0);
    NDArray unit = z.div(z.square().sum(new int[] {1}, true).add(NORM_EPSILON).sqrt());
    NDArray logits = unit.matMul(unit.transpose()).div(temperature);
    NDArray self = manager.eye(2 * n).toType(z.getDataType(), false);
    NDArray logProbabilities = logits.sub(self.mul(SELF_SIMILARITY_PENALTY)).logSoftmax(1);
    return logProbabilities.mul(positives(manager, n, z)).sum().neg().div(2.0 * n);
  }

  private static NDArray positives(NDManager manager, int n, NDArray like) {
    float[] mask = new float[4 * n * n];
    for (int i = 0; i < 2 * n; i++) {
      mask[i * 2 * n + (i + n) % (2 * n)] = 1f;
    }
    return manager.create(mask, new Shape(2 * n, 2 * n)).toType(like.getDataType(), false);
  }
}
