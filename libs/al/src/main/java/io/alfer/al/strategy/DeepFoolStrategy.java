package io.alfer.al.strategy;

import io.alfer.al.Input;
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
 * boundary). Score = the perturbation size. No parameters.
 */
public final class DeepFoolStrategy extends BaseStrategy {
  public DeepFoolStrategy(Parameters parameters) {
    super("deepfool", parameters, Set.of(Input.PERTURBATIONS));
  }

  @Override
  public List<Pick> choose(Pool pool, int count, long seed) {
    float[] sizes = pool.perturbations();
    int[] rows = pool.unlabelledRows();
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
