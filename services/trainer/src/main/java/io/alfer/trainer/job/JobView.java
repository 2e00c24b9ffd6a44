package io.alfer.trainer.job;

import java.time.Instant;

/**
 * A job as the REST API shows it.
 *
 * @param jobId job id (also the id of the model it produces)
 * @param kind pretrain or finetune
 * @param dataset dataset trained on
 * @param state queued, running, succeeded, failed or cancelled
 * @param message failure or cancellation reason
 * @param epoch current epoch (1-based), 0 before the first step
 * @param epochs planned epochs (for fine-tuning: the most it may run)
 * @param step step within the epoch
 * @param steps steps per epoch
 * @param loss loss of the last step
 * @param imagesPerSecond training throughput
 * @param etaSeconds estimated seconds to completion
 * @param completedEpochs epochs covered by the stored epoch checkpoint
 * @param resumedFromEpoch epochs that were already done when the job last started
 * @param attempts times the job was started
 * @param modelId model produced, once succeeded
 * @param createdAt when the job was accepted
 * @param startedAt when it last started
 * @param finishedAt when it ended
 */
public record JobView(
    String jobId,
    String kind,
    String dataset,
    String state,
    String message,
    int epoch,
    int epochs,
    int step,
    int steps,
    double loss,
    double imagesPerSecond,
    double etaSeconds,
    int completedEpochs,
    int resumedFromEpoch,
    int attempts,
    String modelId,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt) {}
