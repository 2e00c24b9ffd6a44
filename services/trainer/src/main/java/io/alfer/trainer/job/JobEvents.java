package io.alfer.trainer.job;

import io.alfer.proto.v1.ModelPublished;
import io.alfer.proto.v1.TrainingProgress;

/** Where jobs report: {@code alfer.training.progress} and {@code alfer.models}. */
public interface JobEvents {
  /** Sends a progress event; {@code acknowledged} waits for the broker (state changes). */
  void progress(TrainingProgress progress, boolean acknowledged);

  /** Announces a model and waits until the broker has acknowledged it. */
  void model(ModelPublished model);
}
