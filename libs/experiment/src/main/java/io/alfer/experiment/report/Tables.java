package io.alfer.experiment.report;

import io.alfer.experiment.config.Mode;
import io.alfer.experiment.report.Summary.Stat;
import io.alfer.experiment.results.CsvFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The results as tables, in the form of the paper's Table I: accuracy (%) as mean ± std over seeds
 * for every strategy with and without pre-training, at the last round and per round; the gain of
 * pre-training; and the paper's headline comparisons checked on these data.
 */
public final class Tables {
  /** The paper's headline: pre-training plus the best strategy over random from scratch. */
  public static final double GOAL_OVER_RANDOM_SCRATCH = 9.2;

  /** The paper's headline: over the best strategy without pre-training. */
  public static final double GOAL_OVER_BEST_SCRATCH = 6.7;

  private Tables() {}

  /**
   * What the results are of.
   *
   * @param title e.g. the dataset and encoder
   * @param poolSize pool images
   * @param details lines describing the protocol
   * @param majorityAccuracy test accuracy (in [0, 1]) of always guessing the test split's largest
   *     class, the floor a classifier must clear (NaN when unknown)
   */
  public record Context(String title, int poolSize, List<String> details, double majorityAccuracy) {
    /** A context without a known majority-class accuracy. */
    public Context(String title, int poolSize, List<String> details) {
      this(title, poolSize, details, Double.NaN);
    }
  }

  /**
   * One headline comparison in one round.
   *
   * @param round the round
   * @param claim what is compared
   * @param winner the strategy (and mode) on top
   * @param against what it is compared with
   * @param margin points the winner is ahead (negative: behind)
   * @param goal the paper's margin, or NaN when the claim is only "beats"
   */
  public record Check(
      int round, String claim, String winner, String against, double margin, double goal) {
    /** Whether the margin meets the goal (or is positive when there is none). */
    public boolean met() {
      return Double.isNaN(goal) ? margin > 0 : margin >= goal;
    }
  }

  /** The Markdown document: Table I, the per-round tables, the gains and the headline. */
  public static String markdown(Summary s, Context c) {
    StringBuilder md = new StringBuilder();
    md.append("# ").append(c.title()).append("\n\n");
    for (String line : c.details()) {
      md.append("- ").append(line).append('\n');
    }
    md.append('\n');
    if (s.lastRound() < 0) {
      return md.append("No results yet.\n").toString();
    }
    md.append(
        "Test accuracy in %, mean ± standard deviation over seeds; a number in brackets is how"
            + " many seeds it averages when fewer than the most any cell has ("
            + s.maxSeeds()
            + ").\n\n");
    int last = s.lastRound();
    md.append("## Table I: accuracy at the last round (round ")
        .append(last)
        .append(", ")
        .append(labelledText(s, last, c.poolSize()))
        .append(")\n\n");
    md.append("| strategy | from scratch | pre-trained | gain of pre-training |\n");
    md.append("|---|---:|---:|---:|\n");
    for (String strategy : s.strategies()) {
      md.append("| ")
          .append(strategy)
          .append(" | ")
          .append(cell(s, strategy, Mode.SCRATCH, last))
          .append(" | ")
          .append(cell(s, strategy, Mode.PRETRAINED, last))
          .append(" | ")
          .append(s.gain(strategy, last).map(Tables::signed).orElse("–"))
          .append(" |\n");
    }
    md.append('\n');
    for (Mode mode : s.modes()) {
      md.append("## Accuracy per round, ")
          .append(mode == Mode.SCRATCH ? "from scratch" : "pre-trained")
          .append("\n\n");
      md.append(roundHeader(s, c.poolSize()));
      for (String strategy : s.strategies()) {
        md.append("| ").append(strategy);
        for (int round : s.rounds()) {
          md.append(" | ").append(cell(s, strategy, mode, round));
        }
        md.append(" |\n");
      }
      md.append('\n');
    }
    if (s.modes().size() == 2) {
      md.append("## Gain of pre-training per round (points)\n\n");
      md.append(roundHeader(s, c.poolSize()));
      for (String strategy : s.strategies()) {
        md.append("| ").append(strategy);
        for (int round : s.rounds()) {
          md.append(" | ").append(s.gain(strategy, round).map(Tables::signed).orElse("–"));
        }
        md.append(" |\n");
      }
      md.append('\n');
      List<Check> checks = headline(s);
      if (!checks.isEmpty()) {
        md.append("## The paper's headline on these data\n\n");
        md.append(
            "Goals from the paper: pre-training with the best strategy beats random sampling"
                + " from scratch by ≥ "
                + GOAL_OVER_RANDOM_SCRATCH
                + " points and the best strategy without pre-training by ≥ "
                + GOAL_OVER_BEST_SCRATCH
                + " points in the first selection rounds (rounds 1 and 2 here); TypiClust or"
                + " ProbCover on pre-trained embeddings beats the best of the paper's eight"
                + " strategies with pre-training in the first two rounds (rounds 0 and 1)."
                + " \"Best\" is the highest mean in that round.\n\n");
        md.append("| round | claim | leader | compared with | margin | goal | met |\n");
        md.append("|---:|---|---|---|---:|---:|:---:|\n");
        for (Check k : checks) {
          md.append(
              String.format(
                  Locale.ROOT,
                  "| %d | %s | %s | %s | %s | %s | %s |%n",
                  k.round(),
                  k.claim(),
                  k.winner(),
                  k.against(),
                  signed(k.margin()),
                  Double.isNaN(k.goal()) ? "> 0" : String.format(Locale.ROOT, "≥ %.1f", k.goal()),
                  k.met() ? "yes" : "no"));
        }
        md.append('\n');
      }
    }
    return md.toString();
  }

  /** The headline comparisons that the present results allow. */
  public static List<Check> headline(Summary s) {
    List<Check> checks = new ArrayList<>();
    List<String> paper =
        Summary.PAPER_STRATEGIES.stream().filter(s.strategies()::contains).toList();
    if (paper.isEmpty()) {
      return checks;
    }
    for (int round = 1; round <= Math.min(2, s.lastRound()); round++) {
      Optional<String> bestPre = s.best(paper, Mode.PRETRAINED, round);
      Optional<Stat> random = s.stat("random", Mode.SCRATCH, round);
      if (bestPre.isPresent() && random.isPresent()) {
        double margin =
            s.stat(bestPre.get(), Mode.PRETRAINED, round).orElseThrow().mean()
                - random.get().mean();
        checks.add(
            new Check(
                round,
                "best strategy pre-trained vs random from scratch",
                bestPre.get() + " (pre-trained)",
                "random (scratch)",
                margin,
                GOAL_OVER_RANDOM_SCRATCH));
      }
      Optional<String> bestScratch = s.best(paper, Mode.SCRATCH, round);
      if (bestPre.isPresent() && bestScratch.isPresent()) {
        double margin =
            s.stat(bestPre.get(), Mode.PRETRAINED, round).orElseThrow().mean()
                - s.stat(bestScratch.get(), Mode.SCRATCH, round).orElseThrow().mean();
        checks.add(
            new Check(
                round,
                "best strategy pre-trained vs best strategy from scratch",
                bestPre.get() + " (pre-trained)",
                bestScratch.get() + " (scratch)",
                margin,
                GOAL_OVER_BEST_SCRATCH));
      }
    }
    List<String> cold = Summary.COLD_START.stream().filter(s.strategies()::contains).toList();
    for (int round = 0; round <= Math.min(1, s.lastRound()); round++) {
      Optional<String> bestCold = s.best(cold, Mode.PRETRAINED, round);
      Optional<String> bestPre = s.best(paper, Mode.PRETRAINED, round);
      if (bestCold.isPresent() && bestPre.isPresent()) {
        double margin =
            s.stat(bestCold.get(), Mode.PRETRAINED, round).orElseThrow().mean()
                - s.stat(bestPre.get(), Mode.PRETRAINED, round).orElseThrow().mean();
        checks.add(
            new Check(
                round,
                "cold-start strategy vs best paper strategy, both pre-trained",
                bestCold.get() + " (pre-trained)",
                bestPre.get() + " (pre-trained)",
                margin,
                Double.NaN));
      }
    }
    List<String> claims = new ArrayList<>();
    checks.forEach(
        k -> {
          if (!claims.contains(k.claim())) {
            claims.add(k.claim());
          }
        });
    checks.sort(
        java.util.Comparator.comparingInt((Check k) -> claims.indexOf(k.claim()))
            .thenComparingInt(Check::round));
    return checks;
  }

  /** The columns of {@link #csv}. */
  public static final List<String> CSV_COLUMNS =
      List.of(
          "strategy",
          "mode",
          "round",
          "labelled",
          "labelled_percent",
          "seeds",
          "accuracy_mean",
          "accuracy_std");

  /** The columns of {@link #gainsCsv}. */
  public static final List<String> GAINS_COLUMNS =
      List.of("strategy", "round", "labelled", "scratch_mean", "pretrained_mean", "gain");

  /** Table I as CSV: one line per strategy, mode and round. */
  public static String csv(Summary s, int poolSize) {
    List<List<Object>> rows = new ArrayList<>();
    for (String strategy : s.strategies()) {
      for (Mode mode : s.modes()) {
        for (int round : s.rounds()) {
          s.stat(strategy, mode, round)
              .ifPresent(
                  st ->
                      rows.add(
                          List.<Object>of(
                              strategy,
                              mode.label(),
                              round,
                              s.labelled(round),
                              CsvFiles.fixed(100.0 * s.labelled(round) / poolSize, 2),
                              st.seeds(),
                              CsvFiles.fixed(st.mean(), 4),
                              CsvFiles.fixed(st.std(), 4))));
        }
      }
    }
    return CsvFiles.document(CSV_COLUMNS, rows);
  }

  /** The gain of pre-training as CSV: one line per strategy and round. */
  public static String gainsCsv(Summary s) {
    List<List<Object>> rows = new ArrayList<>();
    for (String strategy : s.strategies()) {
      for (int round : s.rounds()) {
        Optional<Stat> a = s.stat(strategy, Mode.SCRATCH, round);
        Optional<Stat> b = s.stat(strategy, Mode.PRETRAINED, round);
        if (a.isPresent() && b.isPresent()) {
          rows.add(
              List.<Object>of(
                  strategy,
                  round,
                  s.labelled(round),
                  CsvFiles.fixed(a.get().mean(), 4),
                  CsvFiles.fixed(b.get().mean(), 4),
                  CsvFiles.fixed(b.get().mean() - a.get().mean(), 4)));
        }
      }
    }
    return CsvFiles.document(GAINS_COLUMNS, rows);
  }

  /** "61.2 ± 1.3", with the seed count in brackets when below the most any cell has. */
  public static String cell(Summary s, String strategy, Mode mode, int round) {
    return s.stat(strategy, mode, round)
        .map(
            st ->
                String.format(Locale.ROOT, "%.1f ± %.1f", st.mean(), st.std())
                    + (st.seeds() < s.maxSeeds() ? " (" + st.seeds() + ")" : ""))
        .orElse("–");
  }

  /** "round 2: 1200 (20.0%)". */
  public static String labelledText(Summary s, int round, int poolSize) {
    return String.format(
        Locale.ROOT,
        "%d labelled, %.1f%% of the pool",
        s.labelled(round),
        100.0 * s.labelled(round) / poolSize);
  }

  private static String roundHeader(Summary s, int poolSize) {
    StringBuilder h = new StringBuilder("| strategy");
    StringBuilder rule = new StringBuilder("|---");
    for (int round : s.rounds()) {
      h.append(
          String.format(
              Locale.ROOT,
              " | r%d: %d (%.0f%%)",
              round,
              s.labelled(round),
              100.0 * s.labelled(round) / poolSize));
      rule.append("|---:");
    }
    return h.append(" |\n").append(rule).append("|\n").toString();
  }

  static String signed(double points) {
    return String.format(Locale.ROOT, "%+.1f", points);
  }
}
