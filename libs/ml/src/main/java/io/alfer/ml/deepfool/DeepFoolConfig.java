package io.alfer.ml.deepfool;

/**
 * Settings of a DeepFool run.
 *
 * @param maxIterations most linearisation steps per image (the paper's code uses 50); an image not
 *     flipped by then reports the size of the perturbation accumulated so far
 * @param overshoot η: the image is evaluated at {@code x + (1 + η)·r}, so that it lands past the
 *     boundary rather than on it (the paper's code uses 0.02)
 * @param batchSize images processed together; results do not depend on it beyond float rounding
 */
public record DeepFoolConfig(int maxIterations, double overshoot, int batchSize) {
  /** Default {@link #maxIterations()}. */
  public static final int DEFAULT_MAX_ITERATIONS = 50;

  /** Default {@link #overshoot()}. */
  public static final double DEFAULT_OVERSHOOT = 0.02;

  /** Default {@link #batchSize()}. */
  public static final int DEFAULT_BATCH_SIZE = 32;

  /** Upper bound on {@link #maxIterations()}. */
  public static final int MAX_ITERATIONS_LIMIT = 10_000;

  public DeepFoolConfig {
    if (maxIterations < 1 || maxIterations > MAX_ITERATIONS_LIMIT) {
      throw new IllegalArgumentException(
          "DeepFool maxIterations must lie in 1.."
              + MAX_ITERATIONS_LIMIT
              + ", got "
              + maxIterations);
    }
    if (!(overshoot >= 0 && overshoot <= 1)) {
      throw new IllegalArgumentException("DeepFool overshoot must lie in [0, 1], got " + overshoot);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("DeepFool batchSize must be >= 1, got " + batchSize);
    }
  }

  /** 50 iterations, overshoot 0.02, batches of {@value #DEFAULT_BATCH_SIZE}. */
  public static DeepFoolConfig defaults() {
    return new DeepFoolConfig(DEFAULT_MAX_ITERATIONS, DEFAULT_OVERSHOOT, DEFAULT_BATCH_SIZE);
  }

  /** This configuration with another batch size. */
  public DeepFoolConfig withBatchSize(int size) {
    return new DeepFoolConfig(maxIterations, overshoot, size);
  }

  /** This configuration with another iteration limit. */
  public DeepFoolConfig withMaxIterations(int iterations) {
    return new DeepFoolConfig(iterations, overshoot, batchSize);
  }
}
