package io.alfer.experiment.engine;

import io.alfer.experiment.config.Cell;
import io.alfer.experiment.progress.ExperimentListener;
import io.alfer.experiment.results.ResultsLog;

/** Runs a cell's rounds that the log does not hold yet, logging each as it finishes. */
public interface CellExecutor extends AutoCloseable {
  /**
   * Runs what is missing of {@code cell}.
   *
   * @param index the cell's position in this run (1-based), for progress
   * @param total cells in this run
   */
  void run(Cell cell, ResultsLog log, ExperimentListener listener, int index, int total);

  /** How the cells run, as recorded in the manifest: {@code in-process} or {@code services}. */
  String execution();

  @Override
  default void close() {}
}
