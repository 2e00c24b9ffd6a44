package io.alfer.al;

import java.util.Objects;

/**
 * A dense row-major matrix of floats: one row per pool item (an embedding, a probability vector) or
 * per class (the head's weights). The backing array is shared, not copied; callers must not change
 * it while a strategy runs.
 */
public final class Matrix {
  private final float[] data;
  private final int rows;
  private final int cols;

  /**
   * Wraps {@code data} as a {@code rows × cols} matrix.
   *
   * @throws IllegalArgumentException if the sizes are negative or do not match the array
   */
  public Matrix(float[] data, int rows, int cols) {
    Objects.requireNonNull(data, "data");
    if (rows < 0 || cols <= 0) {
      throw new IllegalArgumentException(
          "matrix shape must be rows >= 0 and cols > 0, got " + rows + "x" + cols);
    }
    if ((long) rows * cols != data.length) {
      throw new IllegalArgumentException(
          "matrix of shape "
              + rows
              + "x"
              + cols
              + " needs "
              + (long) rows * cols
              + " values, got "
              + data.length);
    }
    this.data = data;
    this.rows = rows;
    this.cols = cols;
  }

  /** Builds a matrix from rows of equal length (copies them); handy for small inputs and tests. */
  public static Matrix ofRows(float[]... rows) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("ofRows needs at least one row");
    }
    int cols = rows[0].length;
    float[] data = new float[rows.length * cols];
    for (int r = 0; r < rows.length; r++) {
      if (rows[r].length != cols) {
        throw new IllegalArgumentException(
            "row " + r + " has " + rows[r].length + " values, row 0 has " + cols);
      }
      System.arraycopy(rows[r], 0, data, r * cols, cols);
    }
    return new Matrix(data, rows.length, cols);
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** The backing row-major array: row {@code r} starts at {@code r * cols()}. */
  public float[] data() {
    return data;
  }

  public float get(int row, int col) {
    return data[row * cols + col];
  }

  /** Offset of {@code row} in {@link #data()}. */
  public int offset(int row) {
    return row * cols;
  }

  /** A copy of one row. */
  public float[] row(int row) {
    float[] copy = new float[cols];
    System.arraycopy(data, row * cols, copy, 0, cols);
    return copy;
  }
}
