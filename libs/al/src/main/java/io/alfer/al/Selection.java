package io.alfer.al;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a strategy chose, in the order it chose them.
 *
 * @param strategy the strategy's registry name
 * @param parameters every parameter the strategy ran with, defaults included
 * @param seed the seed it ran with
 * @param picks the chosen items, best (or first chosen) first
 * @param elapsed wall time of the selection itself
 */
public record Selection(
    String strategy,
    Map<String, String> parameters,
    long seed,
    List<Pick> picks,
    Duration elapsed) {
  public Selection {
    parameters = Map.copyOf(parameters);
    picks = List.copyOf(picks);
  }

  /** The chosen ids, in order. */
  public List<String> ids() {
    return picks.stream().map(Pick::id).toList();
  }
}
