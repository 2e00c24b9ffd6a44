package io.alfer.al.kernel;

import io.alfer.al.Matrix;

/**
 * The rows of an embedding matrix as points, with their squared norms cached; optionally each row
 * scaled to unit length ({@link #unit}) without copying the matrix. Products are taken in {@link
 * Dots}' fixed order, so a distance is the same whether computed alone or in a batch, and a point's
 * distance to itself (or to an identical row) is exactly 0.
 */
public final class EmbeddingSpace implements GramSpace {
  private final float[] data;
  private final int dim;
  private final double[] scale;
  private final double[] squaredNorms;

  /** The rows as they are. */
  public EmbeddingSpace(Matrix embeddings) {
    this(embeddings, false);
  }

  private EmbeddingSpace(Matrix embeddings, boolean unit) {
    this.data = embeddings.data();
    this.dim = embeddings.cols();
    int n = embeddings.rows();
    this.squaredNorms = new double[n];
    this.scale = unit ? new double[n] : null;
    Parallel.forChunks(
        n,
        4096,
        (chunk, from, to) -> {
          Dots.squaredNorms(data, dim, null, from, to, squaredNorms);
          if (scale != null) {
            for (int i = from; i < to; i++) {
              double raw = squaredNorms[i];
              scale[i] = raw > 0 ? 1.0 / Math.sqrt(raw) : 0.0;
              squaredNorms[i] = raw * scale[i] * scale[i];
            }
          }
        });
  }

  /**
   * The rows scaled to unit length (a zero row stays at the origin): point {@code i} is {@code
   * scale(i) · x_i}. Only the n scales are stored, not a normalised copy of the matrix.
   */
  public static EmbeddingSpace unit(Matrix embeddings) {
    return new EmbeddingSpace(embeddings, true);
  }

  @Override
  public int size() {
    return squaredNorms.length;
  }

  /** Width of the rows. */
  public int dim() {
    return dim;
  }

  /** The row-major values the points are read from (unscaled). */
  public float[] data() {
    return data;
  }

  /** The factor row {@code i} is multiplied by to give point {@code i} (1 unless {@link #unit}). */
  public double scale(int i) {
    return scale == null ? 1.0 : scale[i];
  }

  @Override
  public double squaredNorm(int i) {
    return squaredNorms[i];
  }

  @Override
  public double dot(int i, int j) {
    double dot = Dots.dot(data, i * dim, data, j * dim, dim);
    return scale == null ? dot : dot * scale[i] * scale[j];
  }

  @Override
  public void squaredDistances(int i, int[] js, int from, int count, double[] out) {
    Dots.dots(data, i * dim, data, dim, js, from, count, out);
    double own = squaredNorms[i];
    for (int k = 0; k < count; k++) {
      int j = js[from + k];
      double dot = scale == null ? out[k] : out[k] * scale[i] * scale[j];
      out[k] = Math.max(0.0, own + squaredNorms[j] - 2.0 * dot);
    }
  }

  /** A tile for up to {@code capacity} of these points (see {@link #loadTile}). */
  public Tile newTile(int capacity) {
    return new Tile(dim, capacity);
  }

  /** Loads points {@code points[from .. from + count)} into {@code tile}. */
  public Tile loadTile(Tile tile, int[] points, int from, int count) {
    return tile.load(data, points, from, count);
  }

  /**
   * {@code out[j] = squaredDistance(i, tile.row(j))} for every point the tile holds, computed
   * together (the same values); {@code scratch} holds at least {@code tile.size()} floats.
   */
  public void squaredDistances(int i, Tile tile, float[] scratch, double[] out) {
    tile.dots(data, i * dim, scratch);
    double own = squaredNorms[i];
    for (int k = 0; k < tile.size(); k++) {
      int j = tile.row(k);
      double dot = scale == null ? scratch[k] : (double) scratch[k] * scale[i] * scale[j];
      out[k] = Math.max(0.0, own + squaredNorms[j] - 2.0 * dot);
    }
  }

  /**
   * {@code out[c] = scale(i) · (x_i · centroid c)} for the {@code k} rows of {@code centroids}
   * (row-major, width {@link #dim}): products of point {@code i} with arbitrary vectors.
   */
  public void dotsWith(int i, float[] centroids, int[] which, int k, double[] out) {
    Dots.dots(data, i * dim, centroids, dim, which, 0, k, out);
    if (scale != null) {
      for (int c = 0; c < k; c++) {
        out[c] *= scale[i];
      }
    }
  }

  /** As {@link #dotsWith(int, float[], int[], int, double[])} for the vectors a tile holds. */
  public void dotsWith(int i, Tile tile, float[] scratch, double[] out) {
    tile.dots(data, i * dim, scratch);
    double s = scale(i);
    for (int c = 0; c < tile.size(); c++) {
      out[c] = scale == null ? scratch[c] : scratch[c] * s;
    }
  }
}
