package io.alfer.experiment.results;

import io.alfer.experiment.config.Mode;
import java.time.Instant;

/** Result rows for tests. */
public final class Rows {
  private Rows() {}

  /** A row with the given identity and accuracy; seven classes. */
  public static ResultRow row(
      String strategy, Mode mode, long seed, int round, int labelled, double accuracy) {
    return new ResultRow(
        strategy,
        mode,
        seed,
        round,
        labelled,
        accuracy,
        new double[] {accuracy, 0.5, Double.NaN, 0.25, 0, 1, 0.125},
        12.5 + round,
        1.25,
        10.5,
        20.0,
        1.5,
        7,
        0.875,
        ResultRow.RANDOM_INITIAL,
        Instant.parse("2025-01-02T03:04:05Z"));
  }
}
