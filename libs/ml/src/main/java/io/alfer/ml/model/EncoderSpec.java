package io.alfer.ml.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * A CIFAR-style residual encoder for grayscale images, described by a few numbers: a 3×3 stem
 * convolution (no max-pool), then stages of basic residual blocks; every stage after the first
 * halves the resolution. The embedding is the global average of the last stage, so its size is the
 * last stage's width.
 *
 * @param name the preset name, stored in checkpoints
 * @param stemChannels output channels of the stem convolution
 * @param stageChannels output channels of each stage
 * @param blocksPerStage number of residual blocks in each stage
 */
public record EncoderSpec(
    String name, int stemChannels, int[] stageChannels, int[] blocksPerStage) {

  /** The paper's ResNet-18 (64/128/256/512, two blocks per stage, 512-d embedding). */
  public static final EncoderSpec RESNET18 =
      new EncoderSpec("resnet18", 64, new int[] {64, 128, 256, 512}, new int[] {2, 2, 2, 2});

  /** A CPU preset: three stages 32/64/128 with one block each, 128-d embedding. */
  public static final EncoderSpec SMALL =
      new EncoderSpec("small", 32, new int[] {32, 64, 128}, new int[] {1, 1, 1});

  /** The smallest preset, for tests and smoke runs: 16/32/64, 64-d embedding. */
  public static final EncoderSpec TINY =
      new EncoderSpec("tiny", 16, new int[] {16, 32, 64}, new int[] {1, 1, 1});

  private static final Map<String, EncoderSpec> PRESETS =
      Map.of(RESNET18.name, RESNET18, SMALL.name, SMALL, TINY.name, TINY);

  public EncoderSpec {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("encoder name must not be blank");
    }
    if (stemChannels <= 0) {
      throw new IllegalArgumentException("stemChannels must be positive, got " + stemChannels);
    }
    if (stageChannels == null || blocksPerStage == null || stageChannels.length == 0) {
      throw new IllegalArgumentException("an encoder needs at least one stage");
    }
    if (stageChannels.length != blocksPerStage.length) {
      throw new IllegalArgumentException(
          "stageChannels has "
              + stageChannels.length
              + " entries but blocksPerStage has "
              + blocksPerStage.length);
    }
    for (int i = 0; i < stageChannels.length; i++) {
      if (stageChannels[i] <= 0 || blocksPerStage[i] <= 0) {
        throw new IllegalArgumentException(
            "stage " + i + " needs positive channels and blocks, got " + describe(stageChannels));
      }
    }
    stageChannels = stageChannels.clone();
    blocksPerStage = blocksPerStage.clone();
  }

  /** The preset with this name ({@code resnet18}, {@code small}, {@code tiny}). */
  public static EncoderSpec preset(String name) {
    EncoderSpec spec = PRESETS.get(name == null ? "" : name.toLowerCase(Locale.ROOT));
    if (spec == null) {
      throw new IllegalArgumentException(
          "unknown encoder preset '" + name + "'; known: " + PRESETS.keySet());
    }
    return spec;
  }

  /** Every preset, by name. */
  public static Map<String, EncoderSpec> presets() {
    return PRESETS;
  }

  /** The size of the embedding (the last stage's width). */
  public int embeddingSize() {
    return stageChannels[stageChannels.length - 1];
  }

  /** The number of stages. */
  public int stages() {
    return stageChannels.length;
  }

  /** Output channels of stage {@code i}. */
  public int stageChannels(int i) {
    return stageChannels[i];
  }

  /** Residual blocks in stage {@code i}. */
  public int blocksInStage(int i) {
    return blocksPerStage[i];
  }

  @Override
  public int[] stageChannels() {
    return stageChannels.clone();
  }

  @Override
  public int[] blocksPerStage() {
    return blocksPerStage.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncoderSpec other
        && name.equals(other.name)
        && stemChannels == other.stemChannels
        && Arrays.equals(stageChannels, other.stageChannels)
        && Arrays.equals(blocksPerStage, other.blocksPerStage);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * name.hashCode() + stemChannels) + Arrays.hashCode(stageChannels);
  }

  @Override
  public String toString() {
    return name
        + "(stem="
        + stemChannels
        + ", stages="
        + describe(stageChannels)
        + ", blocks="
        + describe(blocksPerStage)
        + ")";
  }

  private static String describe(int[] values) {
    return Arrays.toString(values);
  }
}
