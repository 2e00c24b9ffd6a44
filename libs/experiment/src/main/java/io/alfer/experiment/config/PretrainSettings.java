package io.alfer.experiment.config;

import io.alfer.ml.model.EncoderSpec;
import io.alfer.ml.simclr.SimClrConfig;
import io.alfer.ml.train.OptimizerConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the SimCLR encoder of the pre-trained mode is trained (once per dataset, preset and seed).
 * Everything else is {@link SimClrConfig#defaults}: projection to 128-d, alfer's SimCLR views
 * (crops of 40–100 %, no blur), the pool's own normalisation, SGD momentum 0.9 and weight decay
 * 5e-4 with a cosine schedule.
 *
 * @param epochs passes over the pool
 * @param batchSize images per step (two views each); at most the pool size is used
 * @param learningRate peak SGD learning rate
 * @param temperature NT-Xent temperature
 * @param warmupEpochs linear warm-up epochs
 */
public record PretrainSettings(
    int epochs, int batchSize, double learningRate, double temperature, int warmupEpochs) {

  public PretrainSettings {
    if (epochs <= 0) {
      throw new IllegalArgumentException("pre-training epochs must be positive, got " + epochs);
    }
    if (batchSize < 2) {
      throw new IllegalArgumentException(
          "pre-training batch size must be at least 2, got " + batchSize);
    }
    if (!(learningRate > 0) || !(temperature > 0)) {
      throw new IllegalArgumentException(
          "pre-training learning rate and temperature must be positive, got "
              + learningRate
              + ", "
              + temperature);
    }
    if (warmupEpochs < 0 || warmupEpochs >= epochs) {
      throw new IllegalArgumentException(
          "pre-training warm-up must lie in [0, epochs), got " + warmupEpochs);
    }
  }

  /** SimCLR's defaults (100 epochs, batch 256, lr 0.3, τ 0.5, 10 warm-up epochs). */
  public static PretrainSettings defaults() {
    return new PretrainSettings(100, 256, 0.3, 0.5, 10);
  }

  /** The same settings with another number of epochs (warm-up capped below it). */
  public PretrainSettings withEpochs(int value) {
    return new PretrainSettings(
        value, batchSize, learningRate, temperature, Math.min(warmupEpochs, value / 10));
  }

  /** The full SimCLR configuration for an encoder, a pool of {@code poolSize} images and a seed. */
  public SimClrConfig config(EncoderSpec encoder, int poolSize, long seed) {
    SimClrConfig defaults = SimClrConfig.defaults(encoder, seed);
    return new SimClrConfig(
        encoder,
        defaults.projectionHidden(),
        defaults.projectionOutput(),
        temperature,
        Math.max(2, Math.min(batchSize, poolSize)),
        epochs,
        OptimizerConfig.sgd(learningRate, 0.9, 5e-4).withWarmupEpochs(warmupEpochs),
        defaults.augmentation(),
        defaults.normalization(),
        seed);
  }

  /** The settings as a map, for the manifest and the cache key. */
  public Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("epochs", epochs);
    out.put("batch_size", batchSize);
    out.put("learning_rate", learningRate);
    out.put("temperature", temperature);
    out.put("warmup_epochs", warmupEpochs);
    return out;
  }
}
