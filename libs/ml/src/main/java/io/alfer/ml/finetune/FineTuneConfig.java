package io.alfer.ml.finetune;

import io.alfer.ml.data.AugmentationConfig;
import io.alfer.ml.train.OptimizerConfig;

/**
 * How a round's classifier is trained on the labelled set.
 *
 * @param optimizer optimizer and learning-rate schedule
 * @param batchSize labelled images per step
 * @param maxEpochs the most epochs to run
 * @param stopAtTrainAccuracy stop after the first epoch whose training accuracy reaches this
 * @param dropout dropout rate before the linear head (what BALD's MC-dropout samples)
 * @param augmentation augmentation of the labelled images
 * @param seed fixes the head's initialisation, shuffling, augmentation and dropout
 */
public record FineTuneConfig(
    OptimizerConfig optimizer,
    int batchSize,
    int maxEpochs,
    double stopAtTrainAccuracy,
    float dropout,
    AugmentationConfig augmentation,
    long seed) {

  public FineTuneConfig {
    if (optimizer == null || augmentation == null) {
      throw new IllegalArgumentException("optimizer and augmentation are required");
    }
    if (batchSize < 2) {
      throw new IllegalArgumentException("batch size must be at least 2, got " + batchSize);
    }
    if (maxEpochs <= 0) {
      throw new IllegalArgumentException("maxEpochs must be positive, got " + maxEpochs);
    }
    if (!(stopAtTrainAccuracy > 0 && stopAtTrainAccuracy <= 1)) {
      throw new IllegalArgumentException(
          "stopAtTrainAccuracy must lie in (0, 1], got " + stopAtTrainAccuracy);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout must lie in [0, 1), got " + dropout);
    }
  }

  /**
   * The paper's protocol: SGD (lr 0.01, momentum 0.9, weight decay 5e-4) with a cosine schedule,
   * batch 20, up to 200 epochs, stop at 99.9% training accuracy; dropout 0.5, crops and flips.
   */
  public static FineTuneConfig paper(long seed) {
    return new FineTuneConfig(
        OptimizerConfig.sgd(0.01, 0.9, 5e-4),
        20,
        200,
        0.999,
        0.5f,
        AugmentationConfig.FINE_TUNE,
        seed);
  }

  /**
   * A faster CPU preset: SGD lr 0.05, batch 32, up to 30 epochs, same stopping rule. (Batch 64 gave
   * too few steps to learn anything on a few hundred labels: measured on the synthetic set.)
   */
  public static FineTuneConfig cpuFast(long seed) {
    return new FineTuneConfig(
        OptimizerConfig.sgd(0.05, 0.9, 5e-4),
        32,
        30,
        0.999,
        0.5f,
        AugmentationConfig.FINE_TUNE,
        seed);
  }

  /** The same configuration with another optimizer. */
  public FineTuneConfig withOptimizer(OptimizerConfig value) {
    return new FineTuneConfig(
        value, batchSize, maxEpochs, stopAtTrainAccuracy, dropout, augmentation, seed);
  }

  /** The same configuration with another epoch limit. */
  public FineTuneConfig withMaxEpochs(int value) {
    return new FineTuneConfig(
        optimizer, batchSize, value, stopAtTrainAccuracy, dropout, augmentation, seed);
  }

  /** The same configuration with another batch size. */
  public FineTuneConfig withBatchSize(int value) {
    return new FineTuneConfig(
        optimizer, value, maxEpochs, stopAtTrainAccuracy, dropout, augmentation, seed);
  }
}
