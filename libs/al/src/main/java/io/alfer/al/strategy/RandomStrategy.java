package io.alfer.al.strategy;

import io.alfer.al.Parameters;
import io.alfer.al.Pick;
import io.alfer.al.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code random}: a uniform sample of the unlabelled pool without replacement (partial Fisher–Yates
 * driven by the seed). No parameters, no inputs; every score is 0.
 */
public final class RandomStrategy extends BaseStrategy {
  public RandomStrategy(Parameters parameters) {
    super("random", parameters, Set.of());
  }

  @Override
  public List<Pick> choose(Pool pool, int count, long seed) {
    int[] rows = pool.unlabelledRows().clone();
    SplittableRandom random = new SplittableRandom(seed);
    List<Pick> picks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int j = i + random.nextInt(rows.length - i);
      int row = rows[j];
      rows[j] = rows[i];
      rows[i] = row;
      picks.add(new Pick(pool.id(row), row, 0.0));
    }
    return picks;
  }
}
