package io.alfer.experiment.results;

import io.alfer.experiment.config.Cell;
import io.alfer.experiment.config.Mode;
import java.time.Instant;

/**
 * One line of the results: a cell's round.
 *
 * @param strategy strategy name
 * @param mode scratch or pretrained
 * @param seed the cell's seed
 * @param round 0 for the initial set, then 1..rounds
 * @param labelled labelled images the round's classifier was trained on
 * @param accuracy top-1 test accuracy in [0, 1]
 * @param perClassAccuracy test accuracy within each class (NaN for a class without test images)
 * @param seconds wall time of the round (selection, fine-tuning, evaluation)
 * @param selectSeconds of which scoring the pool and selecting
 * @param trainSeconds of which fine-tuning
 * @param cpuSeconds processor time the process used in the round (all threads, native ones
 *     included): with {@code seconds} it shows how much of the machine the round had
 * @param loadAverage the machine's one-minute load average when the round finished (-1 when the
 *     system does not tell)
 * @param epochs fine-tuning epochs run
 * @param trainAccuracy training accuracy of the last epoch
 * @param initialSet how round 0's set was chosen: {@code random} or {@code strategy}
 * @param finishedAt when the round finished
 */
public record ResultRow(
    String strategy,
    Mode mode,
    long seed,
    int round,
    int labelled,
    double accuracy,
    double[] perClassAccuracy,
    double seconds,
    double selectSeconds,
    double trainSeconds,
    double cpuSeconds,
    double loadAverage,
    int epochs,
    double trainAccuracy,
    String initialSet,
    Instant finishedAt) {

  /** How the initial set was chosen when it is the shared random one. */
  public static final String RANDOM_INITIAL = "random";

  /** How the initial set was chosen when the strategy chose it itself (cold start). */
  public static final String STRATEGY_INITIAL = "strategy";

  public ResultRow {
    perClassAccuracy = perClassAccuracy.clone();
  }

  /** The cell this row belongs to. */
  public Cell cell() {
    return new Cell(strategy, mode, seed);
  }

  /** The row's identity in the log: cell and round. */
  public String key() {
    return cell().fileKey() + "@" + round;
  }

  @Override
  public double[] perClassAccuracy() {
    return perClassAccuracy.clone();
  }
}
