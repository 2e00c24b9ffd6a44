package io.alfer.ml.finetune;

/**
 * What a fine-tuning run did.
 *
 * @param epochsRun epochs run (fewer than the maximum when the accuracy threshold was reached)
 * @param trainAccuracy training accuracy of the last epoch (augmented inputs, dropout active)
 * @param epochLosses mean cross-entropy of each epoch
 */
public record FineTuneResult(int epochsRun, double trainAccuracy, double[] epochLosses) {}
