package io.alfer.label.consensus;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Dawid and Skene's (1979) estimator: expectation-maximisation over the unknown true classes, with
 * a class prior and one confusion matrix per annotator ({@code P(annotator says l | truth k)}).
 * Initialised from per-item vote shares; confusion counts get additive smoothing so that an unseen
 * (truth, answer) pair is unlikely, not impossible.
 */
public final class DawidSkene {
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

  /** Fits the model to items, each a non-empty list of votes, over {@code classes} classes. */
  public static Model fit(List<List<Vote>> items, int classes) {
    int n = items.size();
    double[][] t = new double[n][classes];
    for (int i = 0; i < n; i++) {
      for (Vote v : items.get(i)) {
        t[i][v.label()] += 1.0 / items.get(i).size();
      }
    }
    Model model = null;
    for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
      model = maximise(items, t, classes);
      double change = 0;
      for (int i = 0; i < n; i++) {
        double[] p = model.posterior(items.get(i));
        for (int k = 0; k < classes; k++) {
          change = Math.max(change, Math.abs(p[k] - t[i][k]));
        }
        t[i] = p;
      }
      if (change < TOLERANCE) {
        break;
      }
    }
    return model;
  }

  private static Model maximise(List<List<Vote>> items, double[][] t, int classes) {
    double[] prior = new double[classes];
    Map<String, double[][]> counts = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      for (int k = 0; k < classes; k++) {
        prior[k] += t[i][k];
      }
      for (Vote v : items.get(i)) {
        double[][] c = counts.computeIfAbsent(v.annotator(), a -> new double[classes][classes]);
        for (int k = 0; k < classes; k++) {
          c[k][v.label()] += t[i][k];
        }
      }
    }
    double[] logPrior = new double[classes];
    double total = 0;
    for (double p : prior) {
      total += p + SMOOTHING;
    }
    for (int k = 0; k < classes; k++) {
      logPrior[k] = Math.log((prior[k] + SMOOTHING) / total);
    }
    Map<String, double[][]> logConfusion = new HashMap<>();
    counts.forEach(
        (annotator, c) -> {
          double[][] log = new double[classes][classes];
          for (int k = 0; k < classes; k++) {
            double row = 0;
            for (int l = 0; l < classes; l++) {
              row += c[k][l] + SMOOTHING;
            }
            for (int l = 0; l < classes; l++) {
              log[k][l] = Math.log((c[k][l] + SMOOTHING) / row);
            }
          }
          logConfusion.put(annotator, log);
        });
    return new Model(logPrior, logConfusion);
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
