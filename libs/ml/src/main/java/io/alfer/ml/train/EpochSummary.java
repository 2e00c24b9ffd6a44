package io.alfer.ml.train;

import io.alfer.ml.eval.RepresentationQuality;
import java.util.Optional;

/**
 * What a training run reports at the end of each epoch.
 *
 * @param epoch epochs completed (1-based: 1 after the first epoch)
 * @param epochs epochs planned
 * @param loss mean loss of the epoch's steps
 * @param quality the representation's quality on the run's labelled probe set after this epoch;
 *     empty when the run has no probe
 * @param seconds wall time of the epoch, the measurement included
 */
public record EpochSummary(
    int epoch, int epochs, double loss, Optional<RepresentationQuality> quality, double seconds) {}
