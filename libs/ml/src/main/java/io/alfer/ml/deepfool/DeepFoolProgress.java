package io.alfer.ml.deepfool;

import java.time.Duration;

/**
 * A progress report of a DeepFool run: at its start, then after each batched iteration.
 *
 * @param done images finished (flipped, out of iterations, or stuck)
 * @param total images of the run
 * @param flipped images among {@code done} whose prediction was flipped
 * @param iterations batched iterations (one forward pass and the class gradients) so far
 * @param imagesPerSecond finished images per second since the run started
 * @param eta estimated time to finish the remaining images
 */
public record DeepFoolProgress(
    int done, int total, int flipped, long iterations, double imagesPerSecond, Duration eta) {}
