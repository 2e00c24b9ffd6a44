package io.alfer.experiment.results;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a cell stands after its last finished round: the initial set, each round's picks (in
 * selection order), that round's result row and the classifier it ended with, so an interrupted
 * cell goes on with the next round instead of starting over.
 *
 * @param round the last finished round
 * @param initial the ids of round 0's labelled set
 * @param picks the ids each round 1..round added, in selection order
 * @param row the result of {@code round}
 * @param model the classifier's parameters after {@code round} (DJL format)
 */
public record CellState(
    int round, List<String> initial, List<List<String>> picks, ResultRow row, byte[] model) {

  public CellState {
    initial = List.copyOf(initial);
    List<List<String>> copy = new ArrayList<>();
    for (List<String> p : picks) {
      copy.add(List.copyOf(p));
    }
    picks = List.copyOf(copy);
    if (picks.size() != round) {
      throw new IllegalArgumentException(
          "state of round "
              + round
              + " must hold "
              + round
              + " rounds of picks, has "
              + picks.size());
    }
  }

  /** Every labelled id after {@code round}, in the order they were added. */
  public List<String> labelledIds() {
    List<String> all = new ArrayList<>(initial);
    picks.forEach(all::addAll);
    return all;
  }
}
