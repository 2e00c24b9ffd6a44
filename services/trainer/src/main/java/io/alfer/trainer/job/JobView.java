package io.alfer.trainer.job;

import java.time.Instant;
import java.util.List;

/**
 * A job as the REST API shows it.
 *
 * @param jobId job id (also the id of the model it produces)
 * @param kind pretrain or finetune
 * @param dataset dataset trained on
 * @param state queued, running, succeeded, failed or cancelled
 * @param message failure or cancellation reason
 * @param phase what the current (or last) run is doing: {@code training}, then {@code deepfool} for
 *     a fine-tuning job that asked for DeepFool sizes; {@code waiting-for-storage} while an object
 *     storage outage holds the run up; empty before it starts
 * @param epoch current epoch (1-based), 0 before the first step
 * @param epochs planned epochs (for fine-tuning: the most it may run)
 * @param step step within the epoch
 * @param steps steps per epoch
 * @param loss loss of the last step
 * @param knnAccuracy pre-training: the k-NN accuracy of the encoder's embeddings on the dataset's
 *     labelled test split after the last completed epoch (see {@link EpochPoint}); null before the
 *     first epoch ends, for fine-tuning and without a labelled test split
 * @param linearProbeAccuracy the same epoch's linear-probe accuracy, null alike
 * @param imagesPerSecond throughput of the current phase (training, or DeepFool)
 * @param etaSeconds estimated seconds to the end of the current phase
 * @param completedEpochs epochs covered by the stored epoch checkpoint
 * @param resumedFromEpoch epochs that were already done when the job last started
 * @param attempts times the job was started
 * @param modelId model produced, once succeeded
 * @param createdAt when the job was accepted
 * @param startedAt when it last started
 * @param finishedAt when it ended
 * @param deepfool progress of the DeepFool phase, null until it starts
 * @param history every completed epoch: its mean loss, k-NN and linear-probe accuracy
 */
public record JobView(
    String jobId,
    String kind,
    String dataset,
    String state,
    String message,
    String phase,
    int epoch,
    int epochs,
    int step,
    int steps,
    double loss,
    Double knnAccuracy,
    Double linearProbeAccuracy,
    double imagesPerSecond,
    double etaSeconds,
    int completedEpochs,
    int resumedFromEpoch,
    int attempts,
    String modelId,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    DeepFoolPhase deepfool,
    List<EpochPoint> history) {

  /**
   * The DeepFool phase of a fine-tuning job.
   *
   * @param done unlabelled images finished
   * @param total unlabelled images
   * @param flipped images among {@code done} whose prediction was flipped
   * @param imagesPerSecond images finished per second
   * @param etaSeconds estimated seconds to the end of the phase
   */
  public record DeepFoolPhase(
      int done, int total, int flipped, double imagesPerSecond, double etaSeconds) {}
}
