package io.alfer.cli.bench.select;

import io.alfer.al.LinearHead;
import io.alfer.al.Matrix;
import io.alfer.al.Pool;
import io.alfer.al.kernel.Parallel;
import io.alfer.al.kernel.Vectors;
import java.util.SplittableRandom;

/**
 * A deterministic synthetic pool shaped like encoder output: {@code classes} classes of 8 modes
 * each; an item is its mode's centre plus a 16-dimensional low-rank spread plus small isotropic
 * noise. The head points each class's weights at its class mean; probabilities are the head's
 * softmax; the DeepFool sizes are the exact minimal perturbations of that linear head ({@code
 * (z_top - z_second) / ||w_top - w_second||}); the first {@code labelled} items (a random subset,
 * as the paper's initial 10%) are labelled with their true class.
 */
public final class SyntheticPool {
  private static final int MODES = 8;
  private static final int RANK = 16;

  private SyntheticPool() {}

  /** Generates the pool; the same arguments give the same pool. */
  public static Pool generate(int n, int dim, int classes, int labelled, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] classMeans = gaussian(random, classes * dim, 1.0);
    float[] modes = new float[classes * MODES * dim];
    for (int m = 0; m < classes * MODES; m++) {
      for (int t = 0; t < dim; t++) {
        modes[m * dim + t] =
            classMeans[(m / MODES) * dim + t] + (float) (random.nextGaussian() * 0.5);
      }
    }
    float[] spread = gaussian(random, classes * MODES * RANK * dim, 0.5 / Math.sqrt(RANK));
    int[] truth = new int[n];
    float[] x = new float[n * dim];
    long base = random.nextLong();
    Parallel.forChunks(
        n,
        4096,
        (chunk, from, to) -> {
          for (int i = from; i < to; i++) {
            SplittableRandom r = new SplittableRandom(base + i * 0x9E3779B97F4A7C15L);
            int mode = r.nextInt(classes * MODES);
            truth[i] = mode / MODES;
            double[] z = new double[RANK];
            for (int q = 0; q < RANK; q++) {
              z[q] = r.nextGaussian();
            }
            for (int t = 0; t < dim; t++) {
              double v = modes[mode * dim + t] + r.nextGaussian() * 0.05;
              for (int q = 0; q < RANK; q++) {
                v += z[q] * spread[((mode * RANK) + q) * dim + t];
              }
              x[i * dim + t] = (float) v;
            }
          }
        });
    Matrix embeddings = new Matrix(x, n, dim);
    LinearHead head = head(classMeans, classes, dim);
    float[] p = new float[n * classes];
    float[] perturbations = new float[n];
    Parallel.forChunks(
        n, 4096, (chunk, from, to) -> scoreRows(embeddings, head, p, perturbations, from, to));

    boolean[] isLabelled = new boolean[n];
    int[] labels = new int[n];
    for (int picked = 0; picked < Math.min(labelled, n); ) {
      int i = random.nextInt(n);
      if (!isLabelled[i]) {
        isLabelled[i] = true;
        picked++;
      }
    }
    String[] ids = new String[n];
    for (int i = 0; i < n; i++) {
      ids[i] = "img-" + i;
      labels[i] = isLabelled[i] ? truth[i] : -1;
    }
    return Pool.builder(ids, isLabelled)
        .embeddings(embeddings)
        .head(head)
        .probabilities(new Matrix(p, n, classes))
        .perturbations(perturbations)
        .labels(labels)
        .build();
  }

  private static float[] gaussian(SplittableRandom random, int length, double scale) {
    float[] values = new float[length];
    for (int i = 0; i < length; i++) {
      values[i] = (float) (random.nextGaussian() * scale);
    }
    return values;
  }

  /** Weights along each class mean, scaled so that own-class logits are about 4. */
  private static LinearHead head(float[] classMeans, int classes, int dim) {
    float[] w = new float[classes * dim];
    for (int c = 0; c < classes; c++) {
      double norm = Math.sqrt(Vectors.squaredNorm(classMeans, c * dim, dim));
      for (int t = 0; t < dim; t++) {
        w[c * dim + t] = (float) (classMeans[c * dim + t] / norm * 4.0 / norm);
      }
    }
    return new LinearHead(new Matrix(w, classes, dim), new float[classes]);
  }

  private static void scoreRows(
      Matrix x, LinearHead head, float[] p, float[] perturbations, int from, int to) {
    int dim = x.cols();
    int classes = head.classes();
    float[] w = head.weights().data();
    double[] z = new double[classes];
    double[] q = new double[classes];
    for (int i = from; i < to; i++) {
      for (int c = 0; c < classes; c++) {
        z[c] = head.bias()[c] + Vectors.dot(w, c * dim, x.data(), i * dim, dim);
      }
      Vectors.softmax(z, q);
      int top = 0;
      for (int c = 1; c < classes; c++) {
        top = z[c] > z[top] ? c : top;
      }
      double smallest = Double.POSITIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        if (c != top) {
          double wd = 0;
          for (int t = 0; t < dim; t++) {
            double diff = w[top * dim + t] - w[c * dim + t];
            wd += diff * diff;
          }
          smallest = Math.min(smallest, (z[top] - z[c]) / Math.sqrt(wd));
        }
      }
      for (int c = 0; c < classes; c++) {
        p[i * classes + c] = (float) q[c];
      }
      perturbations[i] = (float) smallest;
    }
  }
}
