package io.alfer.al.kernel;

import io.alfer.al.Matrix;

/** The rows of an embedding matrix as points, with their squared norms cached. */
public final class EmbeddingSpace implements GramSpace {
  private final float[] data;
  private final int dim;
  private final double[] squaredNorms;

  public EmbeddingSpace(Matrix embeddings) {
    this.data = embeddings.data();
    this.dim = embeddings.cols();
    this.squaredNorms = new double[embeddings.rows()];
    Parallel.forChunks(
        squaredNorms.length,
        4096,
        (chunk, from, to) -> {
          for (int i = from; i < to; i++) {
            squaredNorms[i] = Vectors.squaredNorm(data, i * dim, dim);
          }
        });
  }

  @Override
  public int size() {
    return squaredNorms.length;
  }

  @Override
  public double squaredNorm(int i) {
    return squaredNorms[i];
  }

  @Override
  public double dot(int i, int j) {
    return Vectors.dot(data, i * dim, data, j * dim, dim);
  }
}
