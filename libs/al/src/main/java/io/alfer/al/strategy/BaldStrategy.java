package io.alfer.al.strategy;

import io.alfer.al.Input;
import io.alfer.al.LinearHead;
import io.alfer.al.Matrix;
import io.alfer.al.ParameterSpec;
import io.alfer.al.Parameters;
import io.alfer.al.Pick;
import io.alfer.al.Pool;
import io.alfer.al.kernel.Parallel;
import io.alfer.al.kernel.TopK;
import io.alfer.al.kernel.Vectors;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code bald}: Bayesian Active Learning by Disagreement with MC dropout (Gal et al. 2017). Each
 * unlabelled embedding goes {@code samples} times through inverted dropout (rate {@code dropout},
 * kept units scaled by {@code 1/(1-dropout)}) and the classifier head; the score is the mutual
 * information {@code H(mean_t p_t) - mean_t H(p_t)} between the prediction and the dropout mask.
 * Largest first. It is zero when the passes agree (dropout 0) and positive when they disagree.
 *
 * <p>The masks of row {@code r} come from a generator seeded by {@code (seed, r)}, so the scores do
 * not depend on the thread count.
 *
 * <p>Parameters: {@code samples} (T, default 10, 2..1000), {@code dropout} (default 0.5, in [0, 1);
 * match the rate the trainer uses before the head).
 */
public final class BaldStrategy extends BaseStrategy {
  static final List<ParameterSpec> PARAMETERS =
      List.of(
          new ParameterSpec("samples", "10", "number T of MC-dropout passes, 2..1000"),
          new ParameterSpec(
              "dropout",
              "0.5",
              "dropout rate before the head, in [0, 1); kept units are rescaled"));

  private final int samples;
  private final double dropout;

  public BaldStrategy(Parameters parameters) {
    super("bald", parameters, Set.of(Input.EMBEDDINGS, Input.HEAD));
    this.samples = parameters.intValue("samples", 2, 1000);
    this.dropout = parameters.doubleValue("dropout", 0.0, 1.0, false);
  }

  @Override
  public List<Pick> choose(Pool pool, int count, long seed) {
    Matrix embeddings = pool.embeddings();
    LinearHead head = pool.head();
    int[] rows = pool.unlabelledRows();
    double[] scores = new double[pool.size()];
    Parallel.forChunks(
        rows.length,
        512,
        (chunk, from, to) -> {
          Scratch scratch = new Scratch(embeddings.cols(), head.classes());
          for (int k = from; k < to; k++) {
            scores[rows[k]] = mutualInformation(embeddings, head, rows[k], seed, scratch);
          }
        });
    return picks(pool, TopK.largest(scores, rows, count), scores);
  }

  private double mutualInformation(
      Matrix embeddings, LinearHead head, int row, long seed, Scratch s) {
    int dim = embeddings.cols();
    int classes = head.classes();
    float[] x = embeddings.data();
    int xOff = row * dim;
    float[] w = head.weights().data();
    float scale = (float) (1.0 / (1.0 - dropout));
    int threshold = (int) Math.round(dropout * 65536.0);
    SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (row + 1L)));
    Arrays.fill(s.meanP, 0.0);
    double meanEntropy = 0;
    for (int t = 0; t < samples; t++) {
      long bits = 0;
      for (int j = 0; j < dim; j++) {
        if ((j & 3) == 0) {
          bits = random.nextLong();
        }
        boolean keep = (int) (bits & 0xFFFF) >= threshold;
        bits >>>= 16;
        s.masked[j] = keep ? x[xOff + j] * scale : 0f;
      }
      for (int c = 0; c < classes; c++) {
        s.logits[c] = head.bias()[c] + Vectors.dot(w, c * dim, s.masked, 0, dim);
      }
      Vectors.softmax(s.logits, s.p);
      double h = 0;
      for (int c = 0; c < classes; c++) {
        s.meanP[c] += s.p[c] / samples;
        if (s.p[c] > 0) {
          h -= s.p[c] * Math.log(s.p[c]);
        }
      }
      meanEntropy += h / samples;
    }
    double entropyOfMean = 0;
    for (int c = 0; c < classes; c++) {
      if (s.meanP[c] > 0) {
        entropyOfMean -= s.meanP[c] * Math.log(s.meanP[c]);
      }
    }
    return Math.max(0.0, entropyOfMean - meanEntropy);
  }

  /** Per-task buffers, so the hot loop allocates nothing. */
  private static final class Scratch {
    final float[] masked;
    final double[] logits;
    final double[] p;
    final double[] meanP;

    Scratch(int dim, int classes) {
      masked = new float[dim];
      logits = new double[classes];
      p = new double[classes];
      meanP = new double[classes];
    }
  }
}
