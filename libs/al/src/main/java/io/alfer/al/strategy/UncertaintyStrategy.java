package io.alfer.al.strategy;

import io.alfer.al.Input;
import io.alfer.al.Matrix;
import io.alfer.al.Parameters;
import io.alfer.al.Pick;
import io.alfer.al.Pool;
import io.alfer.al.kernel.Parallel;
import io.alfer.al.kernel.TopK;
import io.alfer.al.kernel.Vectors;
import java.util.List;
import java.util.Set;

/**
 * The three classic uncertainty samplers on the current model's class probabilities; no parameters,
 * ties go to the lower row.
 *
 * <ul>
 *   <li>{@code entropy}: the largest {@code -Σ p log p} (natural log); score = entropy.
 *   <li>{@code margin}: the smallest gap between the two most likely classes; score = the gap.
 *   <li>{@code least-confidence}: the largest {@code 1 - max p}; score = that.
 * </ul>
 */
public final class UncertaintyStrategy extends BaseStrategy {

  /** Which uncertainty measure to rank by. */
  public enum Measure {
    ENTROPY("entropy"),
    MARGIN("margin"),
    LEAST_CONFIDENCE("least-confidence");

    private final String strategyName;

    Measure(String strategyName) {
      this.strategyName = strategyName;
    }

    /** The registry name. */
    public String strategyName() {
      return strategyName;
    }

    /** The score reported for a probability vector. */
    double score(float[] p, int off, int classes) {
      switch (this) {
        case ENTROPY:
          return Vectors.entropy(p, off, classes);
        case LEAST_CONFIDENCE:
          return 1.0 - p[off + Vectors.argmax(p, off, classes)];
        default:
          float first = Float.NEGATIVE_INFINITY;
          float second = Float.NEGATIVE_INFINITY;
          for (int k = 0; k < classes; k++) {
            float v = p[off + k];
            if (v > first) {
              second = first;
              first = v;
            } else if (v > second) {
              second = v;
            }
          }
          return classes == 1 ? first : (double) first - second;
      }
    }

    /** Higher ranks first. */
    double rankKey(double score) {
      return this == MARGIN ? -score : score;
    }
  }

  private final Measure measure;

  public UncertaintyStrategy(Measure measure, Parameters parameters) {
    super(measure.strategyName(), parameters, Set.of(Input.PROBABILITIES));
    this.measure = measure;
  }

  @Override
  public List<Pick> choose(Pool pool, int count, long seed) {
    Matrix probabilities = pool.probabilities();
    int classes = probabilities.cols();
    float[] p = probabilities.data();
    int[] rows = pool.unlabelledRows();
    double[] scores = new double[pool.size()];
    double[] keys = new double[pool.size()];
    Parallel.forChunks(
        rows.length,
        4096,
        (chunk, from, to) -> {
          for (int k = from; k < to; k++) {
            int row = rows[k];
            scores[row] = measure.score(p, row * classes, classes);
            keys[row] = measure.rankKey(scores[row]);
          }
        });
    return picks(pool, TopK.largest(keys, rows, count), scores);
  }
}
