package io.alfer.al.campaign;

import io.alfer.al.Matrix;
import io.alfer.al.Pool;
import io.alfer.al.Selection;
import io.alfer.al.strategy.DeepFoolStrategy;
import io.alfer.al.strategy.Strategies;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The determinism contract of a campaign, in one place: the select service and the in-process
 * experiment runner both call these methods, so that for the same seed they pick the same images:
 *
 * <ul>
 *   <li>the pool is the dataset's pool-split image ids (from alfer.images) sorted ascending with
 *       {@link String#compareTo}; every {@link Pool} the service builds has its rows in this order
 *       ({@link #poolOrder});
 *   <li>a size given absolutely wins, otherwise it is the fraction of the pool rounded half up:
 *       {@code size > 0 ? size : (int) Math.round(fraction * poolSize)} ({@link #size}); the same
 *       rule for the initial set and the per-round budget, with the pool size of the moment the
 *       campaign was created;
 *   <li>round r selects with seed {@code seed + r} ({@link #roundSeed}), so round 0 uses the
 *       campaign's seed;
 *   <li>the initial random selection is {@code Strategies.create("random", Map.of()).select(pool,
 *       size, seed)} on a pool of the sorted ids with nothing labelled ({@link #initialRandom}); a
 *       cold-start strategy (TypiClust, ProbCover on a pre-trained encoder) selects the initial set
 *       itself on that pool with the pre-trained embeddings ({@link #initialColdStart});
 *   <li>with a total budget, round r ≥ 1 selects {@code min(budgetPerRound, totalBudget -
 *       labelledSoFar)} ({@link #roundBudget});
 *   <li>the fine-tuning job of round r is {@code <campaignId>-r<r>} ({@link #jobId});
 *   <li>a {@code deepfool} campaign's jobs carry the strategy's {@code candidates} parameter as
 *       {@code FinetuneJob.deepfool_candidates} ({@link #deepFoolCandidates}); the trainer attacks
 *       {@code io.alfer.ml.deepfool.DeepFoolCandidates.choose(sorted unlabelled ids, candidates,
 *       campaign seed)} and the round's pool is the labelled images plus those candidates.
 * </ul>
 */
public final class CampaignRules {
  private CampaignRules() {}

  /** The pool's row order: the ids sorted ascending with {@link String#compareTo}. */
  public static String[] poolOrder(Collection<String> ids) {
    String[] sorted = ids.toArray(new String[0]);
    Arrays.sort(sorted);
    return sorted;
  }

  /**
   * A size given absolutely or as a fraction of the pool: {@code absolute > 0 ? absolute : (int)
   * Math.round(fraction * poolSize)}.
   */
  public static int size(int absolute, double fraction, int poolSize) {
    return absolute > 0 ? absolute : (int) Math.round(fraction * poolSize);
  }

  /** The seed round {@code round} selects with: {@code seed + round}. */
  public static long roundSeed(long seed, int round) {
    return seed + round;
  }

  /**
   * Round r ≥ 1's budget: {@code budgetPerRound}, cut to what remains of {@code totalBudget} (when
   * it is positive) after {@code labelledSoFar} labels; never negative.
   */
  public static int roundBudget(int budgetPerRound, int totalBudget, int labelledSoFar) {
    if (totalBudget <= 0) {
      return budgetPerRound;
    }
    return Math.max(0, Math.min(budgetPerRound, totalBudget - labelledSoFar));
  }

  /** The trainer job (and model) id of round {@code round}: {@code <campaignId>-r<round>}. */
  public static String jobId(String campaignId, int round) {
    return campaignId + "-r" + round;
  }

  /** A pool of the ids in {@link #poolOrder} with nothing labelled and no other input. */
  public static Pool unlabelledPool(Collection<String> poolIds) {
    String[] ids = poolOrder(poolIds);
    return Pool.builder(ids, new boolean[ids.length]).build();
  }

  /**
   * The initial random selection: {@code Strategies.create("random", Map.of()).select(pool, size,
   * seed)} on {@link #unlabelledPool} of {@code poolIds}.
   */
  public static Selection initialRandom(Collection<String> poolIds, int size, long seed) {
    return Strategies.create("random", Map.of()).select(unlabelledPool(poolIds), size, seed);
  }

  /**
   * A cold-start strategy's initial set: {@code strategy} on a pool of {@code sortedPoolIds} with
   * nothing labelled and the pre-trained embeddings of the whole pool.
   *
   * @param sortedPoolIds the pool's ids already in {@link #poolOrder} (the rows of {@code
   *     embeddings} follow them)
   * @param embeddings n × d, row-major, row i for id i
   * @throws IllegalArgumentException when the ids are not in pool order
   */
  public static Selection initialColdStart(
      String strategy,
      Map<String, String> parameters,
      List<String> sortedPoolIds,
      float[] embeddings,
      int dimension,
      int size,
      long seed) {
    for (int i = 1; i < sortedPoolIds.size(); i++) {
      if (sortedPoolIds.get(i - 1).compareTo(sortedPoolIds.get(i)) >= 0) {
        throw new IllegalArgumentException(
            "pool ids must be in pool order (sorted ascending, distinct); "
                + sortedPoolIds.get(i - 1)
                + " comes before "
                + sortedPoolIds.get(i));
      }
    }
    String[] ids = sortedPoolIds.toArray(String[]::new);
    Pool pool =
        Pool.builder(ids, new boolean[ids.length])
            .embeddings(new Matrix(embeddings, ids.length, dimension))
            .build();
    return Strategies.create(strategy, parameters).select(pool, size, seed);
  }

  /**
   * How many unlabelled images the trainer attacks for a campaign's DeepFool rounds ({@code
   * FinetuneJob.deepfool_candidates}): the {@code deepfool} strategy's {@code candidates} parameter
   * (0 = every unlabelled image); 0 for every other strategy.
   *
   * @throws IllegalArgumentException if the parameters are invalid for the strategy
   */
  public static int deepFoolCandidates(String strategy, Map<String, String> parameters) {
    if (!strategy.equals("deepfool")) {
      return 0;
    }
    return ((DeepFoolStrategy) Strategies.create(strategy, parameters)).candidates();
  }
}
