package io.alfer.trainer.job;

/**
 * One completed epoch of a job, as its history keeps it.
 *
 * @param epoch epochs completed (1-based)
 * @param loss mean loss of the epoch's steps
 * @param knnAccuracy pre-training: leave-one-out k-NN accuracy (cosine, k = 20) of the encoder's
 *     embeddings on the dataset's labelled test split after this epoch; null when not measured
 *     (fine-tuning, or no labelled test split)
 */
public record EpochPoint(int epoch, double loss, Double knnAccuracy) {}
