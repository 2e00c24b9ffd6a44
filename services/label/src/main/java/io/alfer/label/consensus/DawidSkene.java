package io.alfer.label.consensus;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dawid and Skene's (1979) estimator: expectation-maximisation over the unknown true classes, with
 * a class prior and one confusion matrix per annotator ({@code P(annotator says l | truth k)}).
 * Initialised from per-item vote shares. The M step adds pseudo-counts (a Dirichlet prior): 0.1 to
 * every class and to every (truth, answer) pair, so that an unseen pair is unlikely, not
 * impossible; and {@code diagonalPrior} more to every (k, k) pair, as if each annotator had
 * answered each class right that many times before the campaign began.
 *
 * <p>The diagonal term is what keeps sparse rows sane. Early in a campaign an annotator has one or
 * two answers per class; with the smoothing alone one dissent makes their row for class k say
 * "answers l" with probability (1 + 0.1) / (1 + 7 × 0.1) = 0.65 (seven classes), a row without
 * answers says "answers k" with only 1/7, and such rows outvote three unanimous annotators (see the
 * label README, Benchmark). With a diagonal prior of 1 the row without answers says "answers k"
 * with 0.65 and the row with one dissent "answers l" with 0.41 ("answers k" as much); a
 * systematically confused annotator still shows after a few answers.
 */
public final class DawidSkene {
  private static final double SMOOTHING = 0.1;

  /** Pseudo-count added to the diagonal of every confusion row unless a fit names another. */
  public static final double DIAGONAL_PRIOR = 1.0;

  private static final int MAX_ITERATIONS = 100;
  private static final double TOLERANCE = 1e-6;

  private DawidSkene() {}

  /** A fitted model: class prior and per-annotator confusion matrices. */
  public static final class Model {
    private final double[] logPrior;
    private final Map<String, double[][]> logConfusion;

    private Model(double[] logPrior, Map<String, double[][]> logConfusion) {
      this.logPrior = logPrior;
      this.logConfusion = logConfusion;
    }

    /** Whether the model has seen this annotator. */
    public boolean knows(String annotator) {
      return logConfusion.containsKey(annotator);
    }

    /** Posterior over the true class of one item, given its votes by known annotators. */
    public double[] posterior(List<Vote> votes) {
      double[] log = logPrior.clone();
      for (Vote v : votes) {
        double[][] c = logConfusion.get(v.annotator());
        if (c == null) {
          continue;
        }
        for (int k = 0; k < log.length; k++) {
          log[k] += c[k][v.label()];
        }
      }
      return normalise(log);
    }
  }

  /** {@link #fit(List, int, double)} with the default {@link #DIAGONAL_PRIOR}. */
  public static Model fit(List<List<Vote>> items, int classes) {
    return fit(items, classes, DIAGONAL_PRIOR);
  }

  /**
   * Fits the model to items, each a non-empty list of votes, over {@code classes} classes, with
   * {@code diagonalPrior} pseudo-counts on the diagonal of every confusion row (0: additive
   * smoothing only). The annotators are numbered once and the votes held in arrays, so that the
   * iterations do no map look-ups: the service refits on a campaign's whole history, and this loop
   * is what a result costs then (see {@code ./alfer bench label --annotations 3}).
   */
  public static Model fit(List<List<Vote>> items, int classes, double diagonalPrior) {
    if (!(diagonalPrior >= 0)) {
      throw new IllegalArgumentException("diagonalPrior must be at least 0: " + diagonalPrior);
    }
    int n = items.size();
    Map<String, Integer> numbers = new LinkedHashMap<>();
    int[][] who = new int[n][];
    int[][] said = new int[n][];
    double[][] t = new double[n][classes];
    for (int i = 0; i < n; i++) {
      List<Vote> votes = items.get(i);
      who[i] = new int[votes.size()];
      said[i] = new int[votes.size()];
      for (int j = 0; j < votes.size(); j++) {
        Vote v = votes.get(j);
        Integer number = numbers.get(v.annotator());
        if (number == null) {
          number = numbers.size();
          numbers.put(v.annotator(), number);
        }
        who[i][j] = number;
        said[i][j] = v.label();
        t[i][v.label()] += 1.0 / votes.size();
      }
    }
    double[] logPrior = new double[classes];
    double[][][] logConfusion = new double[numbers.size()][classes][classes];
    for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
      maximise(who, said, t, diagonalPrior, logPrior, logConfusion);
      double change = 0;
      for (int i = 0; i < n; i++) {
        double[] p = logPrior.clone();
        for (int j = 0; j < who[i].length; j++) {
          double[][] c = logConfusion[who[i][j]];
          for (int k = 0; k < classes; k++) {
            p[k] += c[k][said[i][j]];
          }
        }
        p = normalise(p);
        for (int k = 0; k < classes; k++) {
          change = Math.max(change, Math.abs(p[k] - t[i][k]));
        }
        t[i] = p;
      }
      if (change < TOLERANCE) {
        break;
      }
    }
    Map<String, double[][]> byAnnotator = new HashMap<>();
    numbers.forEach((annotator, number) -> byAnnotator.put(annotator, logConfusion[number]));
    return new Model(logPrior, byAnnotator);
  }

  /** The M step: class prior and confusion matrices from the current posteriors {@code t}. */
  private static void maximise(
      int[][] who,
      int[][] said,
      double[][] t,
      double diagonalPrior,
      double[] logPrior,
      double[][][] logConfusion) {
    int classes = logPrior.length;
    double[] prior = new double[classes];
    double[][][] counts = new double[logConfusion.length][classes][classes];
    for (int i = 0; i < t.length; i++) {
      for (int k = 0; k < classes; k++) {
        prior[k] += t[i][k];
      }
      for (int j = 0; j < who[i].length; j++) {
        double[][] c = counts[who[i][j]];
        for (int k = 0; k < classes; k++) {
          c[k][said[i][j]] += t[i][k];
        }
      }
    }
    double total = 0;
    for (double p : prior) {
      total += p + SMOOTHING;
    }
    for (int k = 0; k < classes; k++) {
      logPrior[k] = Math.log((prior[k] + SMOOTHING) / total);
    }
    for (int a = 0; a < counts.length; a++) {
      double[][] c = counts[a];
      for (int k = 0; k < classes; k++) {
        double row = 0;
        for (int l = 0; l < classes; l++) {
          row += c[k][l] + SMOOTHING + (k == l ? diagonalPrior : 0);
        }
        for (int l = 0; l < classes; l++) {
          logConfusion[a][k][l] =
              Math.log((c[k][l] + SMOOTHING + (k == l ? diagonalPrior : 0)) / row);
        }
      }
    }
  }

  private static double[] normalise(double[] log) {
    double max = Double.NEGATIVE_INFINITY;
    for (double l : log) {
      max = Math.max(max, l);
    }
    double sum = 0;
    double[] p = new double[log.length];
    for (int k = 0; k < log.length; k++) {
      p[k] = Math.exp(log[k] - max);
      sum += p[k];
    }
    for (int k = 0; k < p.length; k++) {
      p[k] /= sum;
    }
    return p;
  }
}
