package io.alfer.label.consensus;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dawid and Skene's (1979) estimator: expectation-maximisation over the unknown true classes, with
 * a class prior and one confusion matrix per annotator ({@code P(annotator says l | truth k)}).
 * Initialised from per-item vote shares. The M step adds the pseudo-counts of a {@link Prior} (a
 * Dirichlet prior): some to every class of the class prior, 0.1 to every (truth, answer) pair of a
 * confusion row, so that an unseen pair is unlikely, not impossible, and more to every (k, k) pair,
 * as if each annotator had answered each class right before the campaign began.
 *
 * <p>The prior is what keeps the sparse estimates of an early campaign sane. An annotator then has
 * one or two answers per class; with smoothing alone one dissent makes their row for class k say
 * "answers l" with probability (1 + 0.1) / (1 + 7 × 0.1) = 0.65 (seven classes), a row without
 * answers says "answers k" with only 1/7, and such rows outvote three unanimous annotators; and a
 * class no item had at the fit gets a prior of 0.1 / (items + 0.7), which outweighs them too (see
 * the label README, Benchmark). With the {@link Prior#DEFAULT} prior the row without answers says
 * "answers k" with 0.65 and the row with one dissent "answers l" with 0.41 ("answers k" as much),
 * and an unseen class has 1 / (items + 7); a systematically confused annotator still shows after a
 * few answers.
 */
public final class DawidSkene {
  /** Pseudo-count of every (truth, answer) pair of a confusion row. */
  private static final double SMOOTHING = 0.1;

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

  /**
   * The pseudo-counts a fit adds to what it counts, besides 0.1 for every (truth, answer) pair of a
   * confusion row.
   *
   * @param perClass pseudo-items of every class in the class prior
   * @param diagonal pseudo-answers on the diagonal of every confusion row: how firmly an annotator
   *     is taken to answer a class right until their answers say otherwise
   */
  public record Prior(double perClass, double diagonal) {
    /** One item of every class, one right answer of every class by every annotator. */
    public static final Prior DEFAULT = new Prior(1, 1);

    /** Additive smoothing alone, 0.1 everywhere: the estimator before the prior. */
    public static final Prior SMOOTHING_ONLY = new Prior(SMOOTHING, 0);

    public Prior {
      if (!(perClass > 0)) {
        throw new IllegalArgumentException("the class prior must be above 0: " + perClass);
      }
      if (!(diagonal >= 0)) {
        throw new IllegalArgumentException("the diagonal prior must be at least 0: " + diagonal);
      }
    }
  }

  /** {@link #fit(List, int, Prior)} with the {@link Prior#DEFAULT} prior. */
  public static Model fit(List<List<Vote>> items, int classes) {
    return fit(items, classes, Prior.DEFAULT);
  }

  /**
   * Fits the model to items, each a non-empty list of votes, over {@code classes} classes. The
   * annotators are numbered once and the votes held in arrays, so that the iterations do no map
   * look-ups: the service refits on a campaign's whole history, and this loop is what a result
   * costs then (see {@code ./alfer bench label --annotations 3}).
   */
  public static Model fit(List<List<Vote>> items, int classes, Prior prior) {
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
      maximise(who, said, t, prior, logPrior, logConfusion);
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
      Prior pseudo,
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
      total += p + pseudo.perClass();
    }
    for (int k = 0; k < classes; k++) {
      logPrior[k] = Math.log((prior[k] + pseudo.perClass()) / total);
    }
    for (int a = 0; a < counts.length; a++) {
      double[][] c = counts[a];
      for (int k = 0; k < classes; k++) {
        double row = 0;
        for (int l = 0; l < classes; l++) {
          row += c[k][l] + SMOOTHING + (k == l ? pseudo.diagonal() : 0);
        }
        for (int l = 0; l < classes; l++) {
          logConfusion[a][k][l] =
              Math.log((c[k][l] + SMOOTHING + (k == l ? pseudo.diagonal() : 0)) / row);
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
