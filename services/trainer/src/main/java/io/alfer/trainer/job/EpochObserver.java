package io.alfer.trainer.job;

/**
 * Told after each epoch checkpoint of a job has been stored durably, and after each DeepFool
 * progress report. The service observes nothing; the crash-resume and DeepFool tests stop or cancel
 * jobs here, as a crash or a user at that moment would.
 */
@FunctionalInterface
public interface EpochObserver {
  /** Observes nothing. */
  EpochObserver NONE = (jobId, completedEpochs) -> {};

  /** Called on the training thread after epoch {@code completedEpochs} of a job was stored. */
  void checkpointStored(String jobId, int completedEpochs);

  /**
   * Called on the training thread after each DeepFool progress report of a job.
   *
   * @param done images finished so far
   * @param total images of the phase
   */
  default void deepFoolProgress(String jobId, int done, int total) {}
}
