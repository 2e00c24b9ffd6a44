package io.alfer.al.kernel;

/**
 * Dot products and norms over slices of float arrays. The loops keep four independent accumulators
 * so the JIT can overlap the multiply-adds.
 */
public final class Vectors {
  private Vectors() {}

  /** {@code a[ao..ao+len) · b[bo..bo+len)}. */
  public static float dot(float[] a, int ao, float[] b, int bo, int len) {
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    float s4 = 0f;
    float s5 = 0f;
    float s6 = 0f;
    float s7 = 0f;
    int i = 0;
    for (; i + 7 < len; i += 8) {
      s0 = Math.fma(a[ao + i], b[bo + i], s0);
      s1 = Math.fma(a[ao + i + 1], b[bo + i + 1], s1);
      s2 = Math.fma(a[ao + i + 2], b[bo + i + 2], s2);
      s3 = Math.fma(a[ao + i + 3], b[bo + i + 3], s3);
      s4 = Math.fma(a[ao + i + 4], b[bo + i + 4], s4);
      s5 = Math.fma(a[ao + i + 5], b[bo + i + 5], s5);
      s6 = Math.fma(a[ao + i + 6], b[bo + i + 6], s6);
      s7 = Math.fma(a[ao + i + 7], b[bo + i + 7], s7);
    }
    for (; i < len; i++) {
      s0 = Math.fma(a[ao + i], b[bo + i], s0);
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }

  /** Squared Euclidean norm of {@code a[ao..ao+len)}. */
  public static float squaredNorm(float[] a, int ao, int len) {
    return dot(a, ao, a, ao, len);
  }

  /** Shannon entropy (natural log) of a probability vector; zero entries contribute nothing. */
  public static double entropy(float[] p, int off, int len) {
    double h = 0;
    for (int k = 0; k < len; k++) {
      double v = p[off + k];
      if (v > 0) {
        h -= v * Math.log(v);
      }
    }
    return h;
  }

  /** Writes {@code softmax(logits)} into {@code out} (numerically stable). */
  public static void softmax(double[] logits, double[] out) {
    double max = Double.NEGATIVE_INFINITY;
    for (double z : logits) {
      max = Math.max(max, z);
    }
    double sum = 0;
    for (int k = 0; k < logits.length; k++) {
      out[k] = Math.exp(logits[k] - max);
      sum += out[k];
    }
    for (int k = 0; k < logits.length; k++) {
      out[k] /= sum;
    }
  }

  /** Index of the largest of {@code p[off..off+len)}, the first on ties. */
  public static int argmax(float[] p, int off, int len) {
    int best = 0;
    for (int k = 1; k < len; k++) {
      if (p[off + k] > p[off + best]) {
        best = k;
      }
    }
    return best;
  }
}
