package io.alfer.al.kernel;

/**
 * Dot products of float rows in one fixed order, several at a time. Every product here is {@code s
 * = fma(a[t], b[t], s)} for {@code t} ascending from {@code s = 0}, in float: the same bits
 * whichever method computed it and whatever it was grouped with, so a caller may batch products as
 * it likes without changing a result.
 *
 * <p>Why several at a time: HotSpot 17 does not vectorise float reductions, and one scalar product
 * loads two operands per multiply-add, so it runs at about one multiply-add per cycle. One row
 * against eight loads each value of the shared row once for eight multiply-adds in eight
 * independent chains, about twice the throughput on the development machine (AMD EPYC, AVX-512).
 * Products of many vectors with the same rows go faster still through a {@link Tile}.
 */
public final class Dots {
  private Dots() {}

  /** {@code a[ao..ao+len) · b[bo..bo+len)} in the fixed order (one chain: latency-bound, slow). */
  public static float dot(float[] a, int ao, float[] b, int bo, int len) {
    float s = 0f;
    for (int t = 0; t < len; t++) {
      s = Math.fma(a[ao + t], b[bo + t], s);
    }
    return s;
  }

  /**
   * {@code out[k] = dot(a, ao, b, r * dim, dim)} with {@code r = rows[from + k]} for {@code k <
   * count}: the products of one vector with rows of the row-major matrix {@code b} of width {@code
   * dim}, eight at a time, the last one to seven padded to four or eight (the padding is computed
   * and dropped).
   */
  public static void dots(
      float[] a, int ao, float[] b, int dim, int[] rows, int from, int count, double[] out) {
    dots(a, ao, b, dim, rows, from, count, null, out);
  }

  /**
   * As {@link #dots(float[], int, float[], int, int[], int, int, double[])} with {@code r =
   * map[rows[from + k]]} ({@code rows[from + k]} when {@code map} is null).
   */
  public static void dots(
      float[] a,
      int ao,
      float[] b,
      int dim,
      int[] rows,
      int from,
      int count,
      int[] map,
      double[] out) {
    int k = 0;
    for (; k + 8 <= count; k += 8) {
      int f = from + k;
      dot8(
          a,
          ao,
          b,
          offset(rows, f, map, dim),
          offset(rows, f + 1, map, dim),
          offset(rows, f + 2, map, dim),
          offset(rows, f + 3, map, dim),
          offset(rows, f + 4, map, dim),
          offset(rows, f + 5, map, dim),
          offset(rows, f + 6, map, dim),
          offset(rows, f + 7, map, dim),
          dim,
          out,
          k);
    }
    int rest = count - k;
    if (rest == 0) {
      return;
    }
    int f = from + k;
    int last = offset(rows, from + count - 1, map, dim);
    double[] padded = new double[8];
    if (rest > 4) {
      dot8(
          a,
          ao,
          b,
          offset(rows, f, map, dim),
          offset(rows, f + 1, map, dim),
          offset(rows, f + 2, map, dim),
          offset(rows, f + 3, map, dim),
          offset(rows, f + 4, map, dim),
          rest > 5 ? offset(rows, f + 5, map, dim) : last,
          rest > 6 ? offset(rows, f + 6, map, dim) : last,
          last,
          dim,
          padded,
          0);
    } else {
      dot4(
          a,
          ao,
          b,
          offset(rows, f, map, dim),
          rest > 1 ? offset(rows, f + 1, map, dim) : last,
          rest > 2 ? offset(rows, f + 2, map, dim) : last,
          last,
          dim,
          padded,
          0);
    }
    System.arraycopy(padded, 0, out, k, rest);
  }

  private static int offset(int[] rows, int at, int[] map, int dim) {
    return (map == null ? rows[at] : map[rows[at]]) * dim;
  }

  /**
   * {@code out[k] = dot(x, r * dim, x, r * dim, dim)} with {@code r = rows[k]} ({@code r = k} when
   * {@code rows} is null) for {@code k} in {@code [from, to)}: squared norms of rows of the
   * row-major matrix {@code x}, eight rows at a time, each in its own chain.
   */
  public static void squaredNorms(float[] x, int dim, int[] rows, int from, int to, double[] out) {
    int k = from;
    for (; k + 8 <= to; k += 8) {
      int o0 = (rows == null ? k : rows[k]) * dim;
      int o1 = (rows == null ? k + 1 : rows[k + 1]) * dim;
      int o2 = (rows == null ? k + 2 : rows[k + 2]) * dim;
      int o3 = (rows == null ? k + 3 : rows[k + 3]) * dim;
      int o4 = (rows == null ? k + 4 : rows[k + 4]) * dim;
      int o5 = (rows == null ? k + 5 : rows[k + 5]) * dim;
      int o6 = (rows == null ? k + 6 : rows[k + 6]) * dim;
      int o7 = (rows == null ? k + 7 : rows[k + 7]) * dim;
      float s0 = 0f;
      float s1 = 0f;
      float s2 = 0f;
      float s3 = 0f;
      float s4 = 0f;
      float s5 = 0f;
      float s6 = 0f;
      float s7 = 0f;
      for (int t = 0; t < dim; t++) {
        float v0 = x[o0 + t];
        float v1 = x[o1 + t];
        float v2 = x[o2 + t];
        float v3 = x[o3 + t];
        float v4 = x[o4 + t];
        float v5 = x[o5 + t];
        float v6 = x[o6 + t];
        float v7 = x[o7 + t];
        s0 = Math.fma(v0, v0, s0);
        s1 = Math.fma(v1, v1, s1);
        s2 = Math.fma(v2, v2, s2);
        s3 = Math.fma(v3, v3, s3);
        s4 = Math.fma(v4, v4, s4);
        s5 = Math.fma(v5, v5, s5);
        s6 = Math.fma(v6, v6, s6);
        s7 = Math.fma(v7, v7, s7);
      }
      out[k] = s0;
      out[k + 1] = s1;
      out[k + 2] = s2;
      out[k + 3] = s3;
      out[k + 4] = s4;
      out[k + 5] = s5;
      out[k + 6] = s6;
      out[k + 7] = s7;
    }
    for (; k < to; k++) {
      int o = (rows == null ? k : rows[k]) * dim;
      out[k] = dot(x, o, x, o, dim);
    }
  }

  /** One row against eight: {@code out[at + k] = dot(a, ao, b, bk, len)}. */
  static void dot8(
      float[] a,
      int ao,
      float[] b,
      int b0,
      int b1,
      int b2,
      int b3,
      int b4,
      int b5,
      int b6,
      int b7,
      int len,
      double[] out,
      int at) {
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    float s4 = 0f;
    float s5 = 0f;
    float s6 = 0f;
    float s7 = 0f;
    for (int t = 0; t < len; t++) {
      float v = a[ao + t];
      s0 = Math.fma(v, b[b0 + t], s0);
      s1 = Math.fma(v, b[b1 + t], s1);
      s2 = Math.fma(v, b[b2 + t], s2);
      s3 = Math.fma(v, b[b3 + t], s3);
      s4 = Math.fma(v, b[b4 + t], s4);
      s5 = Math.fma(v, b[b5 + t], s5);
      s6 = Math.fma(v, b[b6 + t], s6);
      s7 = Math.fma(v, b[b7 + t], s7);
    }
    out[at] = s0;
    out[at + 1] = s1;
    out[at + 2] = s2;
    out[at + 3] = s3;
    out[at + 4] = s4;
    out[at + 5] = s5;
    out[at + 6] = s6;
    out[at + 7] = s7;
  }

  /** One row against four: {@code out[at + k] = dot(a, ao, b, bk, len)}. */
  static void dot4(
      float[] a, int ao, float[] b, int b0, int b1, int b2, int b3, int len, double[] out, int at) {
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    for (int t = 0; t < len; t++) {
      float v = a[ao + t];
      s0 = Math.fma(v, b[b0 + t], s0);
      s1 = Math.fma(v, b[b1 + t], s1);
      s2 = Math.fma(v, b[b2 + t], s2);
      s3 = Math.fma(v, b[b3 + t], s3);
    }
    out[at] = s0;
    out[at + 1] = s1;
    out[at + 2] = s2;
    out[at + 3] = s3;
  }
}
