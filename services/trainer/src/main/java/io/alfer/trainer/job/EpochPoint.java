package io.alfer.trainer.job;

/**
 * One completed epoch of a job, as its history keeps it. The two figures are measured by a
 * pre-training on the dataset's labelled test split after the epoch; null when not measured
 * (fine-tuning, or no labelled test split).
 *
 * @param epoch epochs completed (1-based)
 * @param loss mean loss of the epoch's steps
 * @param knnAccuracy leave-one-out k-NN accuracy (cosine, k = 20) of the encoder's embeddings
 * @param linearProbeAccuracy 5-fold cross-validated accuracy of a ridge classifier on them
 */
public record EpochPoint(int epoch, double loss, Double knnAccuracy, Double linearProbeAccuracy) {}
