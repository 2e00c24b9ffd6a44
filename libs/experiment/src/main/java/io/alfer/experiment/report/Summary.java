package io.alfer.experiment.report;

import io.alfer.al.strategy.Strategies;
import io.alfer.experiment.config.Mode;
import io.alfer.experiment.results.ResultRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The results aggregated over seeds: for every (strategy, mode, round) the mean and sample standard
 * deviation of the test accuracy, and the labelled count of each round.
 */
public final class Summary {
  /** The paper's eight strategies (random sampling is the baseline, not one of them). */
  public static final List<String> PAPER_STRATEGIES =
      List.of(
          "entropy",
          "margin",
          "least-confidence",
          "bald",
          "badge",
          "glister",
          "coreset",
          "deepfool");

  /** The cold-start strategies. */
  public static final List<String> COLD_START = List.of("typiclust", "probcover");

  /**
   * Accuracy over seeds, in percent.
   *
   * @param mean mean over the seeds
   * @param std sample standard deviation (0 for one seed)
   * @param seeds how many seeds have this round
   */
  public record Stat(double mean, double std, int seeds) {}

  private final List<String> strategies;
  private final List<Mode> modes;
  private final TreeSet<Integer> rounds = new TreeSet<>();
  private final Map<Integer, Integer> labelled = new TreeMap<>();
  private final Map<String, Stat> stats = new HashMap<>();
  private final int maxSeeds;

  /** Aggregates rows (any order; partial cells count for the rounds they have). */
  public Summary(List<ResultRow> rows) {
    Map<String, List<Double>> values = new HashMap<>();
    Set<String> present = new LinkedHashSet<>();
    Set<Mode> presentModes = new TreeSet<>();
    Set<Long> seeds = new TreeSet<>();
    for (ResultRow row : rows) {
      present.add(row.strategy());
      presentModes.add(row.mode());
      seeds.add(row.seed());
      rounds.add(row.round());
      labelled.putIfAbsent(row.round(), row.labelled());
      values
          .computeIfAbsent(key(row.strategy(), row.mode(), row.round()), k -> new ArrayList<>())
          .add(100 * row.accuracy());
    }
    List<String> order = new ArrayList<>(Strategies.names());
    strategies =
        present.stream()
            .sorted(
                Comparator.comparingInt(
                    (String s) -> order.contains(s) ? order.indexOf(s) : order.size()))
            .toList();
    modes = List.copyOf(presentModes);
    values.forEach((k, v) -> stats.put(k, stat(v)));
    maxSeeds = seeds.size();
  }

  private static Stat stat(List<Double> v) {
    double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    double ss = 0;
    for (double x : v) {
      ss += (x - mean) * (x - mean);
    }
    double std = v.size() > 1 ? Math.sqrt(ss / (v.size() - 1)) : 0;
    return new Stat(mean, std, v.size());
  }

  private static String key(String strategy, Mode mode, int round) {
    return strategy + "|" + mode.label() + "|" + round;
  }

  /** Strategies present, in the registry's order. */
  public List<String> strategies() {
    return strategies;
  }

  /** Modes present. */
  public List<Mode> modes() {
    return modes;
  }

  /** Rounds present, ascending. */
  public List<Integer> rounds() {
    return List.copyOf(rounds);
  }

  /** The last round present, or -1 without rows. */
  public int lastRound() {
    return rounds.isEmpty() ? -1 : rounds.last();
  }

  /** Labelled images in a round. */
  public int labelled(int round) {
    return labelled.getOrDefault(round, 0);
  }

  /** The most seeds any cell has. */
  public int maxSeeds() {
    return maxSeeds;
  }

  /** Accuracy of a strategy in a mode and round, if measured. */
  public Optional<Stat> stat(String strategy, Mode mode, int round) {
    return Optional.ofNullable(stats.get(key(strategy, mode, round)));
  }

  /** Pre-trained minus scratch mean accuracy (points), if both are measured. */
  public Optional<Double> gain(String strategy, int round) {
    Optional<Stat> scratch = stat(strategy, Mode.SCRATCH, round);
    Optional<Stat> pretrained = stat(strategy, Mode.PRETRAINED, round);
    if (scratch.isEmpty() || pretrained.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(pretrained.get().mean() - scratch.get().mean());
  }

  /** The strategy among {@code candidates} with the highest mean in a mode and round. */
  public Optional<String> best(List<String> candidates, Mode mode, int round) {
    String best = null;
    double bestMean = Double.NEGATIVE_INFINITY;
    for (String s : candidates) {
      Optional<Stat> st = stat(s, mode, round);
      if (st.isPresent() && st.get().mean() > bestMean) {
        best = s;
        bestMean = st.get().mean();
      }
    }
    return Optional.ofNullable(best);
  }
}
