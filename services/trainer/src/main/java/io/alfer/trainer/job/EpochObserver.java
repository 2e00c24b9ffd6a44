package io.alfer.trainer.job;

/**
 * Told after each epoch checkpoint of a job has been stored durably. The service observes nothing;
 * the crash-resume test stops the executor here, as a crash right after a checkpoint would.
 */
@FunctionalInterface
public interface EpochObserver {
  /** Observes nothing. */
  EpochObserver NONE = (jobId, completedEpochs) -> {};

  /** Called on the training thread after epoch {@code completedEpochs} of a job was stored. */
  void checkpointStored(String jobId, int completedEpochs);
}
