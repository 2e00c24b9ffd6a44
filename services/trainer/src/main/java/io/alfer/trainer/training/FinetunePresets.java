package io.alfer.trainer.training;

import io.alfer.ml.finetune.FineTuneConfig;
import java.util.List;

/** The fine-tuning presets a request may name. */
public final class FinetunePresets {
  /** The paper's protocol (SGD 0.01, batch 20, up to 200 epochs). */
  public static final String PAPER = "paper";

  /** The CPU preset (SGD 0.1, batch 64, at least 800 steps or 30 epochs). */
  public static final String CPU_FAST = "cpu-fast";

  /** Every preset name. */
  public static final List<String> NAMES = List.of(PAPER, CPU_FAST);

  private FinetunePresets() {}

  /** The configuration of a preset, its length capped at {@code maxEpochs} epochs if > 0. */
  public static FineTuneConfig config(String preset, long seed, int maxEpochs) {
    FineTuneConfig config =
        switch (preset) {
          case PAPER -> FineTuneConfig.paper(seed);
          case CPU_FAST -> FineTuneConfig.cpuFast(seed);
          default ->
              throw new IllegalArgumentException(
                  "unknown fine-tuning preset '" + preset + "'; known: " + NAMES);
        };
    return maxEpochs > 0 ? config.withMaxEpochs(maxEpochs) : config;
  }
}
