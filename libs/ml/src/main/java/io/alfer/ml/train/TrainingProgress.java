package io.alfer.ml.train;

import java.time.Duration;

/**
 * A progress report after one optimizer step.
 *
 * @param epoch the current epoch (0-based)
 * @param epochs the number of epochs planned
 * @param step optimizer steps taken in this run, including resumed ones
 * @param totalSteps optimizer steps planned
 * @param loss this step's loss
 * @param learningRate the learning rate used by this step
 * @param imagesPerSecond throughput since the run (or the resume) started
 * @param eta estimated time to finish all planned steps
 */
public record TrainingProgress(
    int epoch,
    int epochs,
    long step,
    long totalSteps,
    double loss,
    double learningRate,
    double imagesPerSecond,
    Duration eta) {}
