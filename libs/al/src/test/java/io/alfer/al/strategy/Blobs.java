package io.alfer.al.strategy;

import io.alfer.al.Matrix;

/** Clearly separated blobs for the cold-start strategies. */
final class Blobs {
  private Blobs() {}

  /**
   * {@code blobs} 5×5 grids (spacing {@code step}) in {@code blobs} dimensions, blob {@code b}
   * centred on {@code 10 · e_b}; row {@code 25 b + 12} is the centre of blob {@code b}.
   */
  static Matrix grids(int blobs, float step) {
    float[][] rows = new float[blobs * 25][];
    for (int b = 0; b < blobs; b++) {
      for (int g = 0; g < 25; g++) {
        float[] row = new float[Math.max(blobs, 3)];
        row[b] = 10f;
        int u = (b + 1) % row.length;
        int v = (b + 2) % row.length;
        row[u] += (g % 5 - 2) * step;
        row[v] += (g / 5 - 2) * step;
        rows[b * 25 + g] = row;
      }
    }
    return Matrix.ofRows(rows);
  }

  /** The blob a row belongs to. */
  static int blobOf(int row) {
    return row / 25;
  }
}
