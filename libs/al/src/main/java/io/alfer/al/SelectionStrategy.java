package io.alfer.al;

import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An active-learning selection strategy. Implementations only rank or choose ({@link #choose});
 * {@link #select} checks the inputs, caps the budget at the unlabelled count, times the run and
 * verifies the result: exactly {@code min(budget, unlabelled)} distinct unlabelled items.
 *
 * <p>Create strategies through {@link io.alfer.al.strategy.Strategies#create}. They are immutable
 * and thread-safe; the same pool, budget and seed give the same picks whatever the number of
 * processors.
 */
public interface SelectionStrategy {

  /** The registry name, e.g. {@code entropy}. */
  String name();

  /** The parameters this instance runs with, defaults included. */
  Map<String, String> parameters();

  /** The pool inputs this strategy reads. */
  Set<Input> requires();

  /**
   * Chooses {@code count} distinct unlabelled rows; {@code count} is at least 1 and at most the
   * number of unlabelled rows, and the pool carries every required input.
   */
  List<Pick> choose(Pool pool, int count, long seed);

  /**
   * Selects up to {@code budget} unlabelled items.
   *
   * @throws IllegalArgumentException if the budget is negative or a required input is missing
   */
  default Selection select(Pool pool, int budget, long seed) {
    if (budget < 0) {
      throw new IllegalArgumentException("budget must be >= 0, got " + budget);
    }
    Set<Input> missing = EnumSet.noneOf(Input.class);
    missing.addAll(requires());
    missing.removeAll(pool.available());
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "strategy '"
              + name()
              + "' needs "
              + requires()
              + " but the pool lacks "
              + missing
              + " (it has "
              + pool.available()
              + ")");
    }
    int count = Math.min(budget, pool.unlabelledRows().length);
    long start = System.nanoTime();
    List<Pick> picks = count == 0 ? List.of() : choose(pool, count, seed);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    verify(pool, count, picks);
    return new Selection(name(), parameters(), seed, picks, elapsed);
  }

  private void verify(Pool pool, int count, List<Pick> picks) {
    if (picks.size() != count) {
      throw new IllegalStateException(
          "strategy '" + name() + "' picked " + picks.size() + " items instead of " + count);
    }
    Set<Integer> rows = new HashSet<>(count * 2);
    for (Pick p : picks) {
      if (pool.isLabelled(p.row()) || !rows.add(p.row())) {
        throw new IllegalStateException(
            "strategy '" + name() + "' picked labelled or repeated row " + p.row());
      }
    }
  }
}
