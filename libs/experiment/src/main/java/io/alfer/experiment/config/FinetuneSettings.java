package io.alfer.experiment.config;

import io.alfer.ml.finetune.FineTuneConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How each round's classifier is fine-tuned: one of the presets of {@link FineTuneConfig} ({@code
 * paper}, {@code cpu-fast}; the trainer knows the same ones) with optional overrides.
 *
 * @param preset {@code paper} or {@code cpu-fast}
 * @param maxEpochs a cap on each round's length in epochs (0 = none: the preset's length)
 * @param batchSize batch size; 0 keeps the preset's
 * @param learningRate peak learning rate; 0 keeps the preset's
 */
public record FinetuneSettings(String preset, int maxEpochs, int batchSize, double learningRate) {
  /** The paper's protocol. */
  public static final String PAPER = FineTuneConfig.PAPER;

  /** The faster CPU preset. */
  public static final String CPU_FAST = FineTuneConfig.CPU_FAST;

  /** Every preset name (the trainer's names, so a campaign can name the same one). */
  public static final List<String> PRESETS = FineTuneConfig.PRESETS;

  public FinetuneSettings {
    if (!PRESETS.contains(preset)) {
      throw new IllegalArgumentException(
          "unknown fine-tuning preset '" + preset + "'; known: " + PRESETS);
    }
    if (maxEpochs < 0 || batchSize < 0 || batchSize == 1 || learningRate < 0) {
      throw new IllegalArgumentException(
          "fine-tuning overrides must be 0 (the preset's) or valid, got epochs "
              + maxEpochs
              + ", batch "
              + batchSize
              + ", learning rate "
              + learningRate);
    }
  }

  /** The configuration of one round for a seed. */
  public FineTuneConfig config(long seed) {
    FineTuneConfig config = FineTuneConfig.preset(preset, seed);
    if (maxEpochs > 0) {
      config = config.withMaxEpochs(maxEpochs);
    }
    if (batchSize > 0) {
      config = config.withBatchSize(batchSize);
    }
    if (learningRate > 0) {
      config = config.withOptimizer(config.optimizer().withLearningRate(learningRate));
    }
    return config;
  }

  /** The cap on a round's epochs in effect (0 = none). */
  public int effectiveMaxEpochs() {
    return config(0).maxEpochs();
  }

  /** The settings as a map, for the manifest. */
  public Map<String, Object> describe() {
    FineTuneConfig c = config(0);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("preset", preset);
    out.put("min_steps", c.minSteps());
    out.put("epochs", c.epochs());
    out.put("max_epochs", c.maxEpochs());
    out.put("batch_size", c.batchSize());
    out.put("learning_rate", c.optimizer().learningRate());
    out.put("warmup_fraction", c.warmupFraction());
    out.put("stop_at_train_accuracy", c.stopAtTrainAccuracy());
    out.put("dropout", (double) c.dropout());
    out.put("class_weighting", c.classWeighting().name());
    out.put("head_only_fraction", c.pretrained().headOnlyFraction());
    out.put("encoder_learning_rate_factor", c.pretrained().encoderLearningRateFactor());
    return out;
  }
}
