package io.alfer.ml.simclr;

import io.alfer.ml.data.AugmentationConfig;
import io.alfer.ml.data.Normalization;
import io.alfer.ml.model.EncoderSpec;
import io.alfer.ml.train.OptimizerConfig;

/**
 * Everything that defines a SimCLR pre-training run.
 *
 * @param encoder the encoder architecture
 * @param projectionHidden hidden width of the projection head
 * @param projectionOutput output width of the projection head (the space NT-Xent compares in)
 * @param temperature NT-Xent temperature τ
 * @param batchSize images per step (each yields two views)
 * @param epochs passes over the pool
 * @param optimizer optimizer and learning-rate schedule
 * @param augmentation how each view is drawn
 * @param normalization pixel normalisation (kept in the checkpoint); null: the pool's own mean and
 *     deviation, {@link Normalization#of(io.alfer.ml.data.PackedImages)}, measured when training
 *     starts (see {@link #forPool})
 * @param seed fixes initialisation, shuffling and augmentation
 */
public record SimClrConfig(
    EncoderSpec encoder,
    int projectionHidden,
    int projectionOutput,
    double temperature,
    int batchSize,
    int epochs,
    OptimizerConfig optimizer,
    AugmentationConfig augmentation,
    Normalization normalization,
    long seed) {

  /** NT-Xent temperature of the defaults. */
  public static final double DEFAULT_TEMPERATURE = 0.1;

  /** Images per step of the defaults. */
  public static final int DEFAULT_BATCH_SIZE = 64;

  /** Peak SGD learning rate of the defaults. */
  public static final double DEFAULT_LEARNING_RATE = 0.3;

  private static final int DEFAULT_PROJECTION = 128;

  public SimClrConfig {
    if (encoder == null || optimizer == null || augmentation == null) {
      throw new IllegalArgumentException("encoder, optimizer and augmentation are required");
    }
    if (projectionHidden <= 0 || projectionOutput <= 0) {
      throw new IllegalArgumentException(
          "projection sizes must be positive, got " + projectionHidden + ", " + projectionOutput);
    }
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be positive, got " + temperature);
    }
    if (batchSize < 2) {
      throw new IllegalArgumentException("SimCLR needs a batch of at least 2, got " + batchSize);
    }
    if (epochs <= 0) {
      throw new IllegalArgumentException("epochs must be positive, got " + epochs);
    }
  }

  /**
   * Defaults for an encoder, the recipe measured in libs/ml's README ("A SimCLR recipe for CPU
   * budgets"): projection to 128-d through a hidden layer as wide as the embedding, τ = 0.1, batch
   * 64, 100 epochs, SGD (lr 0.3, momentum 0.9, weight decay 5e-4) with 10 warm-up epochs and cosine
   * decay, {@link AugmentationConfig#SIMCLR} views (crops of 40–100 %, no blur), and the pool's own
   * normalisation (null here, measured when training starts).
   */
  public static SimClrConfig defaults(EncoderSpec encoder, long seed) {
    return new SimClrConfig(
        encoder,
        encoder.embeddingSize(),
        DEFAULT_PROJECTION,
        DEFAULT_TEMPERATURE,
        DEFAULT_BATCH_SIZE,
        100,
        OptimizerConfig.sgd(DEFAULT_LEARNING_RATE, 0.9, 5e-4).withWarmupEpochs(10),
        AugmentationConfig.SIMCLR,
        null,
        seed);
  }

  /**
   * This configuration as it trains on {@code pool}: a null normalisation becomes the pool's own
   * ({@link Normalization#of}); an explicit one is kept. The same pool always gives the same
   * normalisation, so a resumed run normalises as the interrupted one did.
   */
  public SimClrConfig forPool(io.alfer.ml.data.PackedImages pool) {
    return normalization != null ? this : withNormalization(Normalization.of(pool));
  }

  /** The same run with another normalisation (null: the pool's own). */
  public SimClrConfig withNormalization(Normalization value) {
    return new SimClrConfig(
        encoder,
        projectionHidden,
        projectionOutput,
        temperature,
        batchSize,
        epochs,
        optimizer,
        augmentation,
        value,
        seed);
  }

  /** The same run with another number of epochs. */
  public SimClrConfig withEpochs(int value) {
    return new SimClrConfig(
        encoder,
        projectionHidden,
        projectionOutput,
        temperature,
        batchSize,
        value,
        optimizer,
        augmentation,
        normalization,
        seed);
  }

  /** The same run with another batch size. */
  public SimClrConfig withBatchSize(int value) {
    return new SimClrConfig(
        encoder,
        projectionHidden,
        projectionOutput,
        temperature,
        value,
        epochs,
        optimizer,
        augmentation,
        normalization,
        seed);
  }

  /** The same run with another optimizer. */
  public SimClrConfig withOptimizer(OptimizerConfig value) {
    return new SimClrConfig(
        encoder,
        projectionHidden,
        projectionOutput,
        temperature,
        batchSize,
        epochs,
        value,
        augmentation,
        normalization,
        seed);
  }
}
