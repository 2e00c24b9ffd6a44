package io.alfer.ml.train;

/**
 * What a caller (the trainer service) plugs into a training run: progress reports, cancellation,
 * and epoch checkpoints from which a crashed run resumes.
 */
public interface TrainingHooks {
  /** No progress reports, never cancelled, no checkpoints. */
  TrainingHooks NONE = new TrainingHooks() {};

  /** Called after every optimizer step. */
  default void onProgress(TrainingProgress progress) {}

  /** Polled before every step; when true the run stops with {@link TrainingCancelledException}. */
  default boolean isCancelled() {
    return false;
  }

  /**
   * Called after each completed epoch with everything needed to resume from there (weights,
   * optimizer state, epoch); pass it back to the trainer's {@code resume} method.
   *
   * @param completedEpochs epochs completed so far
   * @param resumeState an opaque, self-contained snapshot
   */
  default void onEpochCheckpoint(int completedEpochs, byte[] resumeState) {}
}
