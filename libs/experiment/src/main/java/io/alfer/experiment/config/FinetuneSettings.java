package io.alfer.experiment.config;

import io.alfer.ml.finetune.FineTuneConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How each round's classifier is fine-tuned: one of the trainer's presets ({@code paper}: SGD 0.01,
 * batch 20, up to 200 epochs; {@code cpu-fast}: SGD 0.05, batch 32, up to 30 epochs; both stop at
 * 99.9% training accuracy) with optional overrides.
 *
 * @param preset {@code paper} or {@code cpu-fast}
 * @param maxEpochs epoch limit; 0 keeps the preset's
 * @param batchSize batch size; 0 keeps the preset's
 * @param learningRate peak learning rate; 0 keeps the preset's
 */
public record FinetuneSettings(String preset, int maxEpochs, int batchSize, double learningRate) {
  /** The paper's protocol. */
  public static final String PAPER = "paper";

  /** The trainer's faster CPU preset. */
  public static final String CPU_FAST = "cpu-fast";

  /** Every preset name (the trainer's names, so a campaign can name the same one). */
  public static final List<String> PRESETS = List.of(PAPER, CPU_FAST);

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
    FineTuneConfig config =
        PAPER.equals(preset) ? FineTuneConfig.paper(seed) : FineTuneConfig.cpuFast(seed);
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

  /** The epoch limit in effect. */
  public int effectiveMaxEpochs() {
    return config(0).maxEpochs();
  }

  /** The settings as a map, for the manifest. */
  public Map<String, Object> describe() {
    FineTuneConfig c = config(0);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("preset", preset);
    out.put("max_epochs", c.maxEpochs());
    out.put("batch_size", c.batchSize());
    out.put("learning_rate", c.optimizer().learningRate());
    out.put("stop_at_train_accuracy", c.stopAtTrainAccuracy());
    out.put("dropout", (double) c.dropout());
    return out;
  }
}
