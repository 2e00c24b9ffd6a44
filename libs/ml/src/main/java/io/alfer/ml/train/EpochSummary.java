package io.alfer.ml.train;

import java.util.OptionalDouble;

/**
 * What a training run reports at the end of each epoch.
 *
 * @param epoch epochs completed (1-based: 1 after the first epoch)
 * @param epochs epochs planned
 * @param loss mean loss of the epoch's steps
 * @param knnAccuracy leave-one-out k-NN accuracy of the encoder's embeddings on the run's labelled
 *     probe set after this epoch; empty when the run has no probe
 * @param seconds wall time of the epoch, the measurement included
 * @param measureSeconds wall time of the k-NN measurement alone (0 without a probe)
 */
public record EpochSummary(
    int epoch,
    int epochs,
    double loss,
    OptionalDouble knnAccuracy,
    double seconds,
    double measureSeconds) {}
