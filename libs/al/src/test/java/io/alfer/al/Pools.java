package io.alfer.al;

import java.util.SplittableRandom;

/** Small pools for tests. */
public final class Pools {
  private Pools() {}

  /** Ids "r0", "r1", … */
  public static String[] ids(int n) {
    String[] ids = new String[n];
    for (int i = 0; i < n; i++) {
      ids[i] = "r" + i;
    }
    return ids;
  }

  /**
   * A random pool with every input: gaussian embeddings, a random head, probabilities = softmax of
   * the head, labels, perturbations; each item labelled with probability {@code labelledShare} (at
   * least one labelled).
   */
  public static Pool random(int n, int d, int c, double labelledShare, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = new float[n * d];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    float[] w = new float[c * d];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (random.nextGaussian() * 0.5);
    }
    float[] bias = new float[c];
    Matrix embeddings = new Matrix(x, n, d);
    LinearHead head = new LinearHead(new Matrix(w, c, d), bias);
    boolean[] labelled = new boolean[n];
    int[] labels = new int[n];
    float[] perturbations = new float[n];
    for (int i = 0; i < n; i++) {
      labelled[i] = i == 0 || random.nextDouble() < labelledShare;
      labels[i] = labelled[i] ? random.nextInt(c) : -1;
      perturbations[i] = (float) random.nextDouble();
    }
    return Pool.builder(ids(n), labelled)
        .embeddings(embeddings)
        .head(head)
        .probabilities(softmax(embeddings, head))
        .labels(labels)
        .perturbations(perturbations)
        .build();
  }

  /** Row-wise softmax of the head's logits. */
  public static Matrix softmax(Matrix embeddings, LinearHead head) {
    int n = embeddings.rows();
    int d = embeddings.cols();
    int c = head.classes();
    float[] p = new float[n * c];
    for (int i = 0; i < n; i++) {
      double[] z = new double[c];
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < c; k++) {
        z[k] = head.bias()[k];
        for (int t = 0; t < d; t++) {
          z[k] += head.weights().get(k, t) * embeddings.get(i, t);
        }
        max = Math.max(max, z[k]);
      }
      double sum = 0;
      for (int k = 0; k < c; k++) {
        z[k] = Math.exp(z[k] - max);
        sum += z[k];
      }
      for (int k = 0; k < c; k++) {
        p[i * c + k] = (float) (z[k] / sum);
      }
    }
    return new Matrix(p, n, c);
  }
}
