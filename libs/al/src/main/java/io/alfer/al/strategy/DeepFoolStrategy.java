package io.alfer.al.strategy;

import io.alfer.al.Input;
import io.alfer.al.ParameterSpec;
import io.alfer.al.Parameters;
import io.alfer.al.Pick;
import io.alfer.al.Pool;
import io.alfer.al.kernel.TopK;
import java.util.List;
import java.util.Set;

/**
 * {@code deepfool}: adversarial active learning (Ducoffe &amp; Precioso, DFAL). DeepFool needs
 * input gradients through the whole network, so the trainer computes them with its DJL model: for
 * each unlabelled image, the L2 norm of DeepFool's minimal perturbation that flips the predicted
 * class (inputs scaled to [0, 1], at most 50 iterations, overshoot 0.02). It ships those sizes as
 * {@link Pool#perturbations()}; this strategy ranks them, smallest first (closest to the decision
 * boundary). Score = the perturbation size.
 *
 * <p>Parameter {@code candidates} (default 0 = every unlabelled image): DeepFool costs a forward
 * and c − 1 backward passes per image and step, so a round may attack only a seeded random subset
 * of that many unlabelled images ({@code FinetuneJob.deepfool_candidates}; the subset is {@code
 * io.alfer.ml.deepfool.DeepFoolCandidates.choose(sortedUnlabelledIds, candidates, seed)} with the
 * fine-tuning job's seed). The caller builds the pool from the candidates alone (the labelled items
 * plus the unlabelled ones that have a size), so with {@code candidates > 0} a pool holding more
 * unlabelled items than that is refused. A round selects its full budget only when {@code
 * candidates >= budget}; the select service refuses campaigns where it is smaller.
 */
public final class DeepFoolStrategy extends BaseStrategy {
  static final List<ParameterSpec> PARAMETERS =
      List.of(
          new ParameterSpec(
              "candidates",
              "0",
              "unlabelled images DeepFool attacks per round, a seeded random subset;"
                  + " 0 = every unlabelled image; an integer >= 0"));

  private final int candidates;

  public DeepFoolStrategy(Parameters parameters) {
    super("deepfool", parameters, Set.of(Input.PERTURBATIONS));
    this.candidates = parameters.intValue("candidates", 0, Integer.MAX_VALUE);
  }

  /** How many unlabelled images a round attacks; 0 = all of them. */
  public int candidates() {
    return candidates;
  }

  @Override
  public List<Pick> choose(Pool pool, int count, long seed) {
    float[] sizes = pool.perturbations();
    int[] rows = pool.unlabelledRows();
    if (candidates > 0 && rows.length > candidates) {
      throw new IllegalArgumentException(
          "the pool holds "
              + rows.length
              + " unlabelled items but deepfool runs with candidates="
              + candidates
              + "; build the pool from the candidates only (those with a DeepFool size)");
    }
    double[] scores = new double[pool.size()];
    double[] keys = new double[pool.size()];
    for (int row : rows) {
      float size = sizes[row];
      if (!(size >= 0f) || Float.isInfinite(size)) {
        throw new IllegalArgumentException(
            "deepfool perturbation of unlabelled item '"
                + pool.id(row)
                + "' is "
                + size
                + "; it must be finite and >= 0");
      }
      scores[row] = size;
      keys[row] = -size;
    }
    return picks(pool, TopK.largest(keys, rows, count), scores);
  }
}
