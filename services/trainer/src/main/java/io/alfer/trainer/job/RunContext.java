package io.alfer.trainer.job;

import io.alfer.ml.deepfool.DeepFoolHooks;
import io.alfer.ml.train.TrainingHooks;
import io.alfer.proto.v1.TrainingRequest;
import java.util.Optional;

/** What a {@link JobRunner} gets for one run of a job. */
public interface RunContext {
  /** The job's id (also the id of the model it produces). */
  String jobId();

  /** The normalised request. */
  TrainingRequest request();

  /** The pool snapshot chosen at the job's first start, if it has started before. */
  Optional<String> poolSnapshot();

  /** Fixes (durably) the pool snapshot the job trains on. */
  void usePoolSnapshot(String snapshot);

  /** The resume state of the last completed epoch, when resuming a crashed run. */
  Optional<byte[]> resumeState();

  /** Mean loss of the last checkpointed epoch (NaN before the first). */
  double lastEpochLoss();

  /** Progress, cancellation and epoch checkpoints for the training loop. */
  TrainingHooks hooks();

  /** Progress and cancellation for the DeepFool phase of a fine-tuning job. */
  DeepFoolHooks deepFoolHooks();
}
