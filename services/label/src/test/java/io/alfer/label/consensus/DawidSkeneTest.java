package io.alfer.label.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link DawidSkene#fit} numbers the annotators and loops over arrays for speed; it must fit
 * exactly — to the last bit — the model of the plain textbook loops over maps below (the fit it
 * replaced, with the same prior), so that no label changes for it.
 */
class DawidSkeneTest {
  private static final double SMOOTHING = 0.1;

  @ParameterizedTest(name = "{0} pseudo-items per class, {1} on the diagonal")
  @CsvSource({"0.1, 0", "1, 1", "0.5, 2.5"})
  void theFitIsBitForBitTheTextbookFit(double perClass, double diagonal) {
    DawidSkene.Prior prior = new DawidSkene.Prior(perClass, diagonal);
    Random rnd = new Random(11);
    for (int trial = 0; trial < 5; trial++) {
      int classes = 2 + rnd.nextInt(6);
      int annotators = 1 + rnd.nextInt(12);
      List<List<Vote>> items = new ArrayList<>();
      for (int i = 0; i < 50 + rnd.nextInt(400); i++) {
        int truth = rnd.nextInt(classes);
        List<Vote> votes = new ArrayList<>();
        for (int j = 0; j < 1 + rnd.nextInt(4); j++) {
          int label = rnd.nextDouble() < 0.7 ? truth : rnd.nextInt(classes);
          votes.add(new Vote("v/a" + rnd.nextInt(annotators), label, rnd.nextFloat()));
        }
        items.add(votes);
      }

      DawidSkene.Model fast = DawidSkene.fit(items, classes, prior);
      Textbook reference = Textbook.fit(items, classes, prior);

      for (List<Vote> votes : items) {
        assertThat(fast.posterior(votes)).containsExactly(reference.posterior(votes));
      }
      List<Vote> withAStranger =
          List.of(new Vote("v/a0", 0, 0f), new Vote("v/stranger", classes - 1, 0f));
      assertThat(fast.knows("v/stranger")).isFalse();
      assertThat(fast.posterior(withAStranger)).containsExactly(reference.posterior(withAStranger));
    }
  }

  @Test
  void oneDissentInASparseRowDoesNotOutvoteThreeUnanimousAnnotators() {
    // Two annotators with a long, reliable history fix the truth of every item. Annotators a and
    // b have each answered one item of class 1, and each said 4; c has answered one item, of
    // class 2; none of them has answered an item of class 4. Then all three say 4.
    int classes = 7;
    List<List<Vote>> items = new ArrayList<>();
    for (int i = 0; i < 70; i++) {
      items.add(List.of(new Vote("p", i % classes, 0f), new Vote("q", i % classes, 0f)));
    }
    items.add(List.of(new Vote("p", 1, 0f), new Vote("q", 1, 0f), new Vote("a", 4, 0f)));
    items.add(List.of(new Vote("p", 1, 0f), new Vote("q", 1, 0f), new Vote("b", 4, 0f)));
    items.add(List.of(new Vote("p", 2, 0f), new Vote("q", 2, 0f), new Vote("c", 2, 0f)));
    List<Vote> unanimous =
        List.of(new Vote("a", 4, 0f), new Vote("b", 4, 0f), new Vote("c", 4, 0f));

    // Smoothing alone: a's and b's rows for class 1 say "4" with probability 1.1 / 1.7, their rows
    // for class 4 say it with 1/7, and class 1 wins.
    double[] smoothed =
        DawidSkene.fit(items, classes, DawidSkene.Prior.SMOOTHING_ONLY).posterior(unanimous);
    assertThat(argmax(smoothed)).isEqualTo(1);
    assertThat(smoothed[1]).isGreaterThan(0.75);
    // With the diagonal prior an unseen row says "right" with 1.1 / 1.7, the dissent 1.1 / 2.7.
    double[] withPrior = DawidSkene.fit(items, classes).posterior(unanimous);
    assertThat(argmax(withPrior)).isEqualTo(4);
    assertThat(withPrior[4]).isGreaterThan(0.9);
  }

  @Test
  void aClassNoItemHadKeepsThePriorOfAboutOneItem() {
    // 1,000 items of classes 0 to 5, none of class 6: its prior is what the pseudo-items give it
    // (and the little posterior mass the items leave on it).
    List<List<Vote>> items = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      items.add(List.of(new Vote("p", i % 6, 0f), new Vote("q", i % 6, 0f)));
    }
    double[] prior = DawidSkene.fit(items, 7).posterior(List.of());
    assertThat(prior[6]).isBetween(1.0 / 1007, 1.05 / 1007);
    double[] smoothed =
        DawidSkene.fit(items, 7, DawidSkene.Prior.SMOOTHING_ONLY).posterior(List.of());
    assertThat(smoothed[6]).isBetween(0.1 / 1000.7, 0.12 / 1000.7);
  }

  private static int argmax(double[] p) {
    int best = 0;
    for (int k = 1; k < p.length; k++) {
      best = p[k] > p[best] ? k : best;
    }
    return best;
  }

  @Test
  void noItemsGiveAUniformPrior() {
    DawidSkene.Model model = DawidSkene.fit(List.of(), 4);
    assertThat(model.posterior(List.of())).containsExactly(0.25, 0.25, 0.25, 0.25);
  }

  /** The straightforward EM over maps keyed by annotator. */
  private record Textbook(double[] logPrior, Map<String, double[][]> logConfusion) {
    static Textbook fit(List<List<Vote>> items, int classes, DawidSkene.Prior prior) {
      double[][] t = new double[items.size()][classes];
      for (int i = 0; i < items.size(); i++) {
        for (Vote v : items.get(i)) {
          t[i][v.label()] += 1.0 / items.get(i).size();
        }
      }
      Textbook model = null;
      for (int iteration = 0; iteration < 100; iteration++) {
        model = maximise(items, t, classes, prior);
        double change = 0;
        for (int i = 0; i < items.size(); i++) {
          double[] p = model.posterior(items.get(i));
          for (int k = 0; k < classes; k++) {
            change = Math.max(change, Math.abs(p[k] - t[i][k]));
          }
          t[i] = p;
        }
        if (change < 1e-6) {
          break;
        }
      }
      return model;
    }

    static Textbook maximise(
        List<List<Vote>> items, double[][] t, int classes, DawidSkene.Prior pseudo) {
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
      double total = 0;
      for (double p : prior) {
        total += p + pseudo.perClass();
      }
      double[] logPrior = new double[classes];
      for (int k = 0; k < classes; k++) {
        logPrior[k] = Math.log((prior[k] + pseudo.perClass()) / total);
      }
      Map<String, double[][]> logConfusion = new HashMap<>();
      counts.forEach(
          (annotator, c) -> {
            double[][] log = new double[classes][classes];
            for (int k = 0; k < classes; k++) {
              double row = 0;
              for (int l = 0; l < classes; l++) {
                row += c[k][l] + SMOOTHING + (k == l ? pseudo.diagonal() : 0);
              }
              for (int l = 0; l < classes; l++) {
                log[k][l] =
                    Math.log((c[k][l] + SMOOTHING + (k == l ? pseudo.diagonal() : 0)) / row);
              }
            }
            logConfusion.put(annotator, log);
          });
      return new Textbook(logPrior, logConfusion);
    }

    double[] posterior(List<Vote> votes) {
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
}
