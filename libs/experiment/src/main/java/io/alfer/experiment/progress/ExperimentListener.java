package io.alfer.experiment.progress;

import io.alfer.experiment.config.Cell;
import io.alfer.experiment.config.Protocol;
import io.alfer.experiment.results.ResultRow;
import io.alfer.ml.deepfool.DeepFoolProgress;
import io.alfer.ml.train.EpochSummary;
import io.alfer.ml.train.TrainingProgress;
import java.util.List;

/** What a running experiment reports; every method has an empty default. */
public interface ExperimentListener {
  /** A line worth showing (a step begins, something was repaired or reused). */
  default void message(String line) {}

  /**
   * What this run will do: the cells it runs, in order, and the rows logged before (for time
   * estimates).
   */
  default void planned(
      List<Cell> cells, List<ResultRow> history, Protocol protocol, int poolSize) {}

  /** A step of the SimCLR pre-training for {@code seed}. */
  default void pretraining(long seed, TrainingProgress progress) {}

  /**
   * An epoch of the SimCLR pre-training for {@code seed} ended: its loss and the representation's
   * quality on the labelled test split.
   */
  default void pretrainingEpoch(long seed, EpochSummary summary) {}

  /** A cell begins at {@code fromRound} (above 0 when it goes on from a saved state). */
  default void cellStarted(Cell cell, int index, int total, int fromRound) {}

  /** A step of a round's fine-tuning. */
  default void training(Cell cell, int round, TrainingProgress progress) {}

  /** A step of DeepFool over the unlabelled pool, before a round's selection. */
  default void deepFool(Cell cell, int round, DeepFoolProgress progress) {}

  /** A round is done and logged. */
  default void roundDone(Cell cell, ResultRow row) {}

  /** Every round of the cell is logged. */
  default void cellDone(Cell cell) {}
}
