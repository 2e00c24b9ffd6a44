package io.alfer.al.strategy;

import io.alfer.al.Input;
import io.alfer.al.Parameters;
import io.alfer.al.Pick;
import io.alfer.al.Pool;
import io.alfer.al.SelectionStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Name, parameters and required inputs shared by every strategy. */
abstract class BaseStrategy implements SelectionStrategy {
  private final String name;
  private final Map<String, String> parameters;
  private final Set<Input> requires;

  BaseStrategy(String name, Parameters parameters, Set<Input> requires) {
    this.name = name;
    this.parameters = parameters.asMap();
    this.requires = Set.copyOf(requires);
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final Map<String, String> parameters() {
    return parameters;
  }

  @Override
  public final Set<Input> requires() {
    return requires;
  }

  /** Picks for {@code rows} (in order) with {@code scores[row]}. */
  static List<Pick> picks(Pool pool, int[] rows, double[] scores) {
    List<Pick> picks = new ArrayList<>(rows.length);
    for (int row : rows) {
      picks.add(new Pick(pool.id(row), row, scores[row]));
    }
    return picks;
  }

  @Override
  public String toString() {
    return name + parameters;
  }
}
