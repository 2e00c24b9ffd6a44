package io.alfer.al.kernel;

/**
 * A set of rows of a row-major matrix copied coordinate by coordinate (one array per coordinate),
 * for the products of many vectors with all of them. A product with every row is then {@code acc[j]
 * = fma(a[t], column_t[j], acc[j])} over {@code t}: a loop over the rows with no offset, which
 * HotSpot 17 vectorises (3–4× the multiply-adds per second of {@link Dots} on the development
 * machine, where it pays once the copy is shared by a few dozen vectors). Each product is still
 * accumulated in {@link Dots}' fixed order, so the results are the same bits.
 */
public final class Tile {
  private final int dim;
  private final float[][] columns;
  private final int[] rows;
  private int size;

  /** An empty tile for up to {@code capacity} rows of width {@code dim}. */
  public Tile(int dim, int capacity) {
    this.dim = dim;
    this.columns = new float[dim][capacity];
    this.rows = new int[capacity];
  }

  /** Replaces the content with rows {@code rows[from .. from + count)} of {@code x}. */
  public Tile load(float[] x, int[] rows, int from, int count) {
    if (count > this.rows.length) {
      throw new IllegalArgumentException(count + " rows do not fit a tile of " + this.rows.length);
    }
    for (int j = 0; j < count; j++) {
      int row = rows == null ? from + j : rows[from + j];
      this.rows[j] = row;
      int o = row * dim;
      for (int t = 0; t < dim; t++) {
        columns[t][j] = x[o + t];
      }
    }
    size = count;
    return this;
  }

  /** Number of rows held. */
  public int size() {
    return size;
  }

  /** The matrix row held at position {@code j}. */
  public int row(int j) {
    return rows[j];
  }

  /** {@code acc[j] = Dots.dot(a, ao, row j)} for every row {@code j} held. */
  public void dots(float[] a, int ao, float[] acc) {
    int n = size;
    java.util.Arrays.fill(acc, 0, n, 0f);
    for (int t = 0; t < dim; t++) {
      float v = a[ao + t];
      float[] column = columns[t];
      for (int j = 0; j < n; j++) {
        acc[j] = Math.fma(v, column[j], acc[j]);
      }
    }
  }
}
