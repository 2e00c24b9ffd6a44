package io.alfer.al.kernel;

/**
 * Points known through their inner products, so distances can be taken without materialising the
 * vectors: {@code ||p_i - p_j||² = sqNorm(i) + sqNorm(j) - 2 dot(i, j)}.
 */
public interface GramSpace {
  /** Number of points. */
  int size();

  /** {@code ||p_i||²}. */
  double squaredNorm(int i);

  /** {@code p_i · p_j}. */
  double dot(int i, int j);

  /** Squared Euclidean distance, clamped at zero against rounding. */
  default double squaredDistance(int i, int j) {
    return Math.max(0.0, squaredNorm(i) + squaredNorm(j) - 2.0 * dot(i, j));
  }

  /**
   * {@code out[k] = squaredDistance(i, js[from + k])} for {@code k < count}: the same values, which
   * a space may compute several at a time (much faster than one by one).
   */
  default void squaredDistances(int i, int[] js, int from, int count, double[] out) {
    for (int k = 0; k < count; k++) {
      out[k] = squaredDistance(i, js[from + k]);
    }
  }
}
