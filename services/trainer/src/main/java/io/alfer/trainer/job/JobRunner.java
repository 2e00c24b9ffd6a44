package io.alfer.trainer.job;

import io.alfer.proto.v1.ModelPublished;

/** Runs one job to its model: loads the data, trains, stores checkpoint and ONNX file. */
public interface JobRunner {
  /**
   * Trains and stores the model; returns its announcement (not yet sent).
   *
   * @throws io.alfer.ml.train.TrainingCancelledException when the hooks cancel the run
   */
  ModelPublished run(RunContext context);
}
