package io.alfer.experiment.config;

import io.alfer.al.strategy.Strategies;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The experiment's presets. Every field of the protocol, the strategies, modes and seeds can be
 * overridden on the command line; a profile is where they start.
 *
 * <ul>
 *   <li>{@code paper}: the paper's protocol (ResNet-18 at the dataset's native size, 10% initial,
 *       5% per round, 7 rounds, 3 seeds, SimCLR 100 epochs, the paper's fine-tuning); for a GPU.
 *   <li>{@code cpu}: a smaller encoder, images and data set so that every strategy in both modes
 *       finishes within a few hours on two cores (calibrated: see the README).
 *   <li>{@code smoke}: the whole code path in minutes, numbers meaningless.
 * </ul>
 */
public enum Profile {
  PAPER(
      "paper",
      "synthetic-fer",
      35_887,
      List.of(1L, 2L, 3L),
      new Protocol(
          "synthetic-fer",
          "resnet18",
          0,
          0,
          0.10,
          0,
          0.05,
          7,
          PretrainSettings.defaults(),
          new FinetuneSettings(FinetuneSettings.PAPER, 0, 0, 0),
          true,
          Map.of())),
  CPU(
      "cpu",
      "synthetic-fer-cpu",
      2_500,
      List.of(1L, 2L, 3L),
      new Protocol(
          "synthetic-fer-cpu",
          "tiny",
          32,
          0,
          0.01,
          0,
          0.005,
          3,
          new PretrainSettings(100, 64, 0.3, 0.1, 10),
          new FinetuneSettings(FinetuneSettings.CPU_FAST, 0, 0, 0),
          true,
          Map.of())),
  SMOKE(
      "smoke",
      "synthetic-fer-smoke",
      600,
      List.of(1L, 2L),
      new Protocol(
          "synthetic-fer-smoke",
          "tiny",
          24,
          0,
          0.10,
          0,
          0.05,
          2,
          new PretrainSettings(2, 64, 0.3, 0.5, 0),
          new FinetuneSettings(FinetuneSettings.CPU_FAST, 4, 16, 0),
          true,
          Map.of()));

  private final String label;
  private final String dataset;
  private final int syntheticImages;
  private final List<Long> seeds;
  private final Protocol protocol;

  Profile(String label, String dataset, int syntheticImages, List<Long> seeds, Protocol protocol) {
    this.label = label;
    this.dataset = dataset;
    this.syntheticImages = syntheticImages;
    this.seeds = seeds;
    this.protocol = protocol;
  }

  /** The profile named {@code label}: paper, cpu or smoke. */
  public static Profile of(String label) {
    String wanted = label == null ? "" : label.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(p -> p.label.equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown profile '" + label + "'; valid profiles: paper, cpu, smoke"));
  }

  public String label() {
    return label;
  }

  /** The dataset it runs on unless told otherwise. */
  public String dataset() {
    return dataset;
  }

  /** How many synthetic FER images to generate when its dataset is absent and generation is on. */
  public int syntheticImages() {
    return syntheticImages;
  }

  public List<Long> seeds() {
    return seeds;
  }

  /** Its protocol. */
  public Protocol protocol() {
    return protocol;
  }

  /** Every strategy: random, the paper's eight, TypiClust and ProbCover. */
  public List<String> strategies() {
    return Strategies.names();
  }

  /** Both modes. */
  public List<Mode> modes() {
    return List.of(Mode.SCRATCH, Mode.PRETRAINED);
  }

  @Override
  public String toString() {
    return label;
  }
}
