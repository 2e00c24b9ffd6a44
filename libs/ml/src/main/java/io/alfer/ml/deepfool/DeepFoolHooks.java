package io.alfer.ml.deepfool;

import io.alfer.ml.train.TrainingCancelledException;

/**
 * What a caller plugs into a DeepFool run, as {@link io.alfer.ml.train.TrainingHooks} does for a
 * training run: progress reports and cancellation.
 */
public interface DeepFoolHooks {
  /** No progress reports, never cancelled. */
  DeepFoolHooks NONE = new DeepFoolHooks() {};

  /** Called once at the start (nothing done, 0 iterations), then after every batched iteration. */
  default void onProgress(DeepFoolProgress progress) {}

  /**
   * Polled before every batched iteration; when true the run stops with {@link
   * TrainingCancelledException} (its count is the number of images finished).
   */
  default boolean isCancelled() {
    return false;
  }
}
