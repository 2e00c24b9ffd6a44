package io.alfer.al.kernel;

import io.alfer.al.Matrix;

/**
 * BADGE's last-layer gradient embeddings, never materialised. For pool row {@code r} with embedding
 * {@code x}, probabilities {@code p} and hypothesised label {@code ŷ = argmax p}, the gradient of
 * the cross-entropy loss with respect to the head weights is the outer product {@code g = (p - e_ŷ)
 * ⊗ x} (c·d values). Outer products have {@code g_i · g_j = (a_i · a_j)(x_i · x_j)} with {@code a =
 * p - e_ŷ}, so distances cost d + c operations instead of c·d and memory stays O(n·(d + c)).
 */
public final class GradientSpace implements GramSpace {
  private final float[] embeddings;
  private final int dim;
  private final int classes;
  private final int[] rows;
  private final float[] residuals;
  private final double[] squaredNorms;

  /**
   * @param embeddings pool embeddings (n × d)
   * @param probabilities pool class probabilities (n × c)
   * @param rows the pool rows that are points of this space; point {@code k} is row {@code rows[k]}
   */
  public GradientSpace(Matrix embeddings, Matrix probabilities, int[] rows) {
    this.embeddings = embeddings.data();
    this.dim = embeddings.cols();
    this.classes = probabilities.cols();
    this.rows = rows;
    this.residuals = new float[rows.length * classes];
    this.squaredNorms = new double[rows.length];
    float[] p = probabilities.data();
    Parallel.forChunks(
        rows.length,
        4096,
        (chunk, from, to) -> {
          Dots.squaredNorms(this.embeddings, dim, rows, from, to, squaredNorms);
          for (int k = from; k < to; k++) {
            int pOff = rows[k] * classes;
            int label = Vectors.argmax(p, pOff, classes);
            for (int c = 0; c < classes; c++) {
              residuals[k * classes + c] = p[pOff + c] - (c == label ? 1f : 0f);
            }
            // (the embedding's squared norm, a float, times the residual's)
            squaredNorms[k] =
                (double) Vectors.squaredNorm(residuals, k * classes, classes)
                    * (float) squaredNorms[k];
          }
        });
  }

  /** The pool row of point {@code k}. */
  public int row(int k) {
    return rows[k];
  }

  @Override
  public int size() {
    return rows.length;
  }

  @Override
  public double squaredNorm(int i) {
    return squaredNorms[i];
  }

  @Override
  public double dot(int i, int j) {
    float a = Vectors.dot(residuals, i * classes, residuals, j * classes, classes);
    if (a == 0f) {
      return 0.0;
    }
    return (double) a * Dots.dot(embeddings, rows[i] * dim, embeddings, rows[j] * dim, dim);
  }

  @Override
  public void squaredDistances(int i, int[] js, int from, int count, double[] out) {
    Dots.dots(embeddings, rows[i] * dim, embeddings, dim, js, from, count, rows, out);
    double own = squaredNorms[i];
    for (int k = 0; k < count; k++) {
      int j = js[from + k];
      float a = Vectors.dot(residuals, i * classes, residuals, j * classes, classes);
      double dot = a == 0f ? 0.0 : (double) a * out[k];
      out[k] = Math.max(0.0, own + squaredNorms[j] - 2.0 * dot);
    }
  }
}
