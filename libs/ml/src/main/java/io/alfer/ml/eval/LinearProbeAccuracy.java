package io.alfer.ml.eval;

/**
 * How well a linear classifier on frozen embeddings separates classes, measured without a held-out
 * set: k-fold cross-validation of a ridge-regression classifier (least squares onto one-hot
 * targets, L2 penalty λ, an unpenalised bias, prediction = the largest output). Features are
 * standardised by the mean and deviation of all items (label-free statistics, so nothing of a
 * held-out fold's labels leaks); fold f holds the items i with i mod k = f.
 *
 * <p>A closed form, no iterations: the Gram matrix of all items once (n · d² multiply-adds), then
 * per fold the training Gram as the whole minus the held-out part and one (d + 1)² solve. For 483
 * items of 64 dimensions that is about 2 million multiply-adds (a millisecond or two); for 1,000
 * items of 512 dimensions about 0.3 billion.
 */
public final class LinearProbeAccuracy {
  /** Folds of the cross-validation. */
  public static final int DEFAULT_FOLDS = 5;

  /** λ on standardised features: mild next to the hundreds of items a probe has. */
  public static final double DEFAULT_RIDGE = 1.0;

  private LinearProbeAccuracy() {}

  /**
   * Cross-validated accuracy.
   *
   * @param embeddings one vector per item, all of the same length
   * @param labels class index per item, {@code >= 0}
   * @param folds number of folds, 2 ≤ folds ≤ n
   * @param ridge λ ≥ 0
   * @return the fraction of items whose held-out prediction matches their label, in [0, 1]
   */
  public static double crossValidated(float[][] embeddings, int[] labels, int folds, double ridge) {
    int n = embeddings.length;
    if (labels.length != n) {
      throw new IllegalArgumentException(n + " embeddings but " + labels.length + " labels");
    }
    if (folds < 2 || folds > n) {
      throw new IllegalArgumentException("need 2 <= folds <= " + n + ", got " + folds);
    }
    if (!(ridge >= 0)) {
      throw new IllegalArgumentException("ridge must be >= 0, got " + ridge);
    }
    int classes = 0;
    for (int label : labels) {
      if (label < 0) {
        throw new IllegalArgumentException("labels must be >= 0, got " + label);
      }
      classes = Math.max(classes, label + 1);
    }
    double[][] z = standardisedWithBias(embeddings);
    int width = z[0].length;
    double[][] gram = new double[width][width];
    double[][] targets = new double[width][classes];
    for (int i = 0; i < n; i++) {
      accumulate(gram, targets, z[i], labels[i], 1);
    }
    int correct = 0;
    for (int f = 0; f < folds; f++) {
      double[][] a = copy(gram);
      double[][] b = copy(targets);
      for (int i = f; i < n; i += folds) {
        accumulate(a, b, z[i], labels[i], -1);
      }
      for (int j = 0; j < width - 1; j++) {
        a[j][j] += ridge;
      }
      double[][] weights = solve(a, b);
      for (int i = f; i < n; i += folds) {
        if (predict(weights, z[i], classes) == labels[i]) {
          correct++;
        }
      }
    }
    return (double) correct / n;
  }

  private static void accumulate(
      double[][] gram, double[][] targets, double[] x, int label, int sign) {
    for (int p = 0; p < x.length; p++) {
      double xp = sign * x[p];
      for (int q = 0; q < x.length; q++) {
        gram[p][q] += xp * x[q];
      }
      targets[p][label] += xp;
    }
  }

  private static int predict(double[][] weights, double[] x, int classes) {
    int best = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < classes; c++) {
      double score = 0;
      for (int p = 0; p < x.length; p++) {
        score += x[p] * weights[p][c];
      }
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    return best;
  }

  /** Each feature centred and scaled to unit deviation over all items, then a constant 1. */
  private static double[][] standardisedWithBias(float[][] embeddings) {
    int n = embeddings.length;
    int d = embeddings[0].length;
    double[] mean = new double[d];
    double[] squares = new double[d];
    for (float[] e : embeddings) {
      if (e.length != d) {
        throw new IllegalArgumentException("embeddings differ in length: " + e.length + ", " + d);
      }
      for (int j = 0; j < d; j++) {
        mean[j] += e[j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= n;
    }
    for (float[] e : embeddings) {
      for (int j = 0; j < d; j++) {
        squares[j] += (e[j] - mean[j]) * (e[j] - mean[j]);
      }
    }
    double[][] z = new double[n][d + 1];
    for (int j = 0; j < d; j++) {
      double deviation = Math.sqrt(squares[j] / n);
      double scale = deviation > 1e-12 && Double.isFinite(deviation) ? 1 / deviation : 0;
      for (int i = 0; i < n; i++) {
        z[i][j] = (embeddings[i][j] - mean[j]) * scale;
      }
    }
    for (int i = 0; i < n; i++) {
      z[i][d] = 1;
    }
    return z;
  }

  /**
   * Solves a·x = b by Gaussian elimination with partial pivoting; a pivot that vanishes (a feature
   * constant over the training folds, with λ = 0) leaves its weights at 0.
   */
  private static double[][] solve(double[][] a, double[][] b) {
    int n = a.length;
    int m = b[0].length;
    for (int c = 0; c < n; c++) {
      int pivot = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
          pivot = r;
        }
      }
      double[] t = a[c];
      a[c] = a[pivot];
      a[pivot] = t;
      t = b[c];
      b[c] = b[pivot];
      b[pivot] = t;
      if (Math.abs(a[c][c]) < 1e-12) {
        continue;
      }
      for (int r = c + 1; r < n; r++) {
        double factor = a[r][c] / a[c][c];
        if (factor != 0) {
          for (int k = c; k < n; k++) {
            a[r][k] -= factor * a[c][k];
          }
          for (int k = 0; k < m; k++) {
            b[r][k] -= factor * b[c][k];
          }
        }
      }
    }
    double[][] x = new double[n][m];
    for (int r = n - 1; r >= 0; r--) {
      if (Math.abs(a[r][r]) < 1e-12) {
        continue;
      }
      for (int k = 0; k < m; k++) {
        double s = b[r][k];
        for (int j = r + 1; j < n; j++) {
          s -= a[r][j] * x[j][k];
        }
        x[r][k] = s / a[r][r];
      }
    }
    return x;
  }

  private static double[][] copy(double[][] m) {
    double[][] out = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      out[i] = m[i].clone();
    }
    return out;
  }
}
