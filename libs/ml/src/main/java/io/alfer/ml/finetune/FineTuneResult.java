package io.alfer.ml.finetune;

/**
 * What a fine-tuning run did.
 *
 * @param epochsRun passes over the labelled set begun (the last may be partial)
 * @param steps optimiser steps made
 * @param trainAccuracy training accuracy of the last epoch (augmented inputs, dropout active)
 * @param epochLosses mean cross-entropy of each epoch
 */
public record FineTuneResult(
    int epochsRun, long steps, double trainAccuracy, double[] epochLosses) {}
