package io.alfer.experiment.config;

import io.alfer.al.strategy.Strategies;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What one invocation runs: the protocol and the cells (strategies × modes × seeds). Cells run seed
 * by seed, and within a seed strategy by strategy with both modes side by side, so a run stopped
 * early already holds comparable numbers for every strategy.
 *
 * @param protocol the protocol every cell follows
 * @param strategies strategy names, in the order given
 * @param modes the modes to run
 * @param seeds the seeds to run
 */
public record ExperimentPlan(
    Protocol protocol, List<String> strategies, List<Mode> modes, List<Long> seeds) {

  public ExperimentPlan {
    if (protocol == null) {
      throw new IllegalArgumentException("a plan needs a protocol");
    }
    strategies = distinct("strategies", strategies);
    modes = distinct("modes", modes);
    seeds = distinct("seeds", seeds);
    for (String s : strategies) {
      Strategies.parameters(s); // an unknown name fails here, listing the valid ones
    }
  }

  private static <T> List<T> distinct(String what, List<T> values) {
    if (values == null || values.isEmpty()) {
      throw new IllegalArgumentException("a plan needs at least one of its " + what);
    }
    LinkedHashSet<T> set = new LinkedHashSet<>(values);
    if (set.size() != values.size()) {
      throw new IllegalArgumentException(what + " are listed twice: " + values);
    }
    return List.copyOf(set);
  }

  /** Every cell, in run order. */
  public List<Cell> cells() {
    List<Cell> cells = new ArrayList<>();
    for (long seed : seeds) {
      for (String strategy : strategies) {
        for (Mode mode : modes) {
          cells.add(new Cell(strategy, mode, seed));
        }
      }
    }
    return cells;
  }
}
