package io.alfer.trainer.training;

import io.alfer.ml.finetune.FineTuneConfig;
import java.util.List;

/** The fine-tuning presets a request may name. */
public final class FinetunePresets {
  /** The paper's protocol (SGD 0.01, batch 20, up to 200 epochs). */
  public static final String PAPER = "paper";

  /** The faster CPU preset (SGD 0.05, batch 32, up to 30 epochs). */
  public static final String CPU_FAST = "cpu-fast";

  /** Every preset name. */
  public static final List<String> NAMES = List.of(PAPER, CPU_FAST);

  private FinetunePresets() {}

  /** The configuration of a preset, with its epoch limit lowered to {@code maxEpochs} if > 0. */
  public static FineTuneConfig config(String preset, long seed, int maxEpochs) {
    FineTuneConfig config =
        switch (preset) {
          case PAPER -> FineTuneConfig.paper(seed);
          case CPU_FAST -> FineTuneConfig.cpuFast(seed);
          default ->
              throw new IllegalArgumentException(
                  "unknown fine-tuning preset '" + preset + "'; known: " + NAMES);
        };
    return maxEpochs > 0 && maxEpochs < config.maxEpochs()
        ? config.withMaxEpochs(maxEpochs)
        : config;
  }
}
