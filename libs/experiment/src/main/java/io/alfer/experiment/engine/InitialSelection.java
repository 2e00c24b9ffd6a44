package io.alfer.experiment.engine;

import io.alfer.al.Matrix;
import io.alfer.al.Pool;
import io.alfer.al.Selection;
import io.alfer.al.Strategies;
import java.util.List;
import java.util.Map;

/**
 * Round 0's labelled set, by the rule shared with the select service so that both pick the same
 * images for the same seed: the pool is the dataset's pool ids sorted ascending ({@link
 * String#compareTo}), nothing labelled, and the set is {@code Strategies.create("random",
 * Map.of()).select(pool, size, seed)}. Cold-start strategies instead select the set themselves on
 * the pre-trained embeddings, with the same seed.
 */
public final class InitialSelection {
  private InitialSelection() {}

  /** The shared random initial set, in selection order. */
  public static List<String> random(List<String> sortedPoolIds, int size, long seed) {
    requireSorted(sortedPoolIds);
    String[] ids = sortedPoolIds.toArray(String[]::new);
    Pool pool = Pool.builder(ids, new boolean[ids.length]).build();
    return Strategies.create("random", Map.of()).select(pool, size, seed).ids();
  }

  /**
   * A cold-start strategy's initial set on embeddings of the whole pool (row i for id i).
   *
   * @param embeddings n × d, row-major, in sorted-id order
   */
  public static Selection coldStart(
      String strategy,
      Map<String, String> parameters,
      List<String> sortedPoolIds,
      float[] embeddings,
      int dimension,
      int size,
      long seed) {
    requireSorted(sortedPoolIds);
    String[] ids = sortedPoolIds.toArray(String[]::new);
    Pool pool =
        Pool.builder(ids, new boolean[ids.length])
            .embeddings(new Matrix(embeddings, ids.length, dimension))
            .build();
    return Strategies.create(strategy, parameters).select(pool, size, seed);
  }

  private static void requireSorted(List<String> ids) {
    for (int i = 1; i < ids.size(); i++) {
      if (ids.get(i - 1).compareTo(ids.get(i)) >= 0) {
        throw new IllegalArgumentException(
            "pool ids must be sorted ascending and distinct; "
                + ids.get(i - 1)
                + " comes before "
                + ids.get(i));
      }
    }
  }
}
