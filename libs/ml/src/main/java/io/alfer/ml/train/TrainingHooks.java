package io.alfer.ml.train;

/**
 * What a caller (the trainer service) plugs into a training run: progress reports, per-epoch
 * summaries, cancellation, and epoch checkpoints from which a crashed run resumes.
 */
public interface TrainingHooks {
  /** No progress reports, never cancelled, no checkpoints. */
  TrainingHooks NONE = new TrainingHooks() {};

  /** Called after every optimizer step. */
  default void onProgress(TrainingProgress progress) {}

  /**
   * Called at the end of every epoch, before its checkpoint, with the epoch's mean loss and (when
   * the run measures one) the quality of the representation.
   */
  default void onEpochEnd(EpochSummary summary) {}

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
