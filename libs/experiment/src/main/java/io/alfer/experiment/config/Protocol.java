package io.alfer.experiment.config;

import io.alfer.al.campaign.CampaignRules;
import io.alfer.al.strategy.Strategies;
import io.alfer.ml.model.EncoderSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything that decides what a cell's numbers mean, and so must stay the same for every cell of a
 * results directory: the dataset, the encoder and image size, the sizes of the initial set and of
 * each round's batch, the number of rounds, how pre-training and fine-tuning run, the cold-start
 * rule and the strategies' parameters. Which strategies, modes and seeds are run is not part of it:
 * a results directory may gain cells over several runs.
 *
 * <p>Sizes follow the rule the select service uses too ({@link CampaignRules#size}): a size above 0
 * wins, otherwise {@code (int) Math.round(fraction * poolSize)}.
 *
 * @param dataset dataset name in alfer's storage
 * @param encoderPreset {@code resnet18}, {@code small} or {@code tiny}
 * @param imageSize side of the images the networks see; 0 is the dataset's native size
 * @param initialSize labelled images of round 0, or 0 to use {@code initialFraction}
 * @param initialFraction share of the pool labelled in round 0
 * @param budgetSize images selected per round, or 0 to use {@code budgetFraction}
 * @param budgetFraction share of the pool selected per round
 * @param rounds selection rounds after round 0
 * @param pretraining the SimCLR settings
 * @param finetuning the per-round fine-tuning settings
 * @param coldStart whether TypiClust and ProbCover choose the initial set themselves on the
 *     pre-trained embeddings (pre-trained mode only; every other cell starts from the random set)
 * @param strategyParameters parameters per strategy name (unset ones take their defaults)
 */
public record Protocol(
    String dataset,
    String encoderPreset,
    int imageSize,
    int initialSize,
    double initialFraction,
    int budgetSize,
    double budgetFraction,
    int rounds,
    PretrainSettings pretraining,
    FinetuneSettings finetuning,
    boolean coldStart,
    Map<String, Map<String, String>> strategyParameters) {

  /** The strategies that may choose their own initial set (they are built for the cold start). */
  public static final java.util.Set<String> COLD_START_STRATEGIES =
      java.util.Set.of("typiclust", "probcover");

  public Protocol {
    if (dataset == null || !dataset.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
      throw new IllegalArgumentException(
          "dataset name '" + dataset + "' is not valid: 1-63 lower-case letters, digits, - or _");
    }
    EncoderSpec.preset(encoderPreset);
    if (imageSize != 0 && (imageSize < 8 || imageSize > 512)) {
      throw new IllegalArgumentException(
          "image size must be 0 (native) or within 8..512, got " + imageSize);
    }
    requireSize("initial", initialSize, initialFraction);
    requireSize("per-round budget", budgetSize, budgetFraction);
    if (rounds < 0) {
      throw new IllegalArgumentException("rounds must be >= 0, got " + rounds);
    }
    if (pretraining == null || finetuning == null) {
      throw new IllegalArgumentException("pre-training and fine-tuning settings are required");
    }
    Map<String, Map<String, String>> params = new TreeMap<>();
    if (strategyParameters != null) {
      strategyParameters.forEach(
          (name, values) -> {
            Strategies.create(name, values); // checks names and values now, not in round 3
            params.put(name, Map.copyOf(new TreeMap<>(values)));
          });
    }
    strategyParameters = Map.copyOf(params);
  }

  private static void requireSize(String what, int size, double fraction) {
    if (size < 0) {
      throw new IllegalArgumentException(what + " size must be >= 0, got " + size);
    }
    if (size == 0 && !(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException(
          what + " needs a size > 0 or a fraction in (0, 1], got fraction " + fraction);
    }
  }

  /** Labelled images of round 0 for a pool of {@code poolSize}. */
  public int initialCount(int poolSize) {
    return CampaignRules.size(initialSize, initialFraction, poolSize);
  }

  /** Images selected per round for a pool of {@code poolSize}. */
  public int budgetCount(int poolSize) {
    return CampaignRules.size(budgetSize, budgetFraction, poolSize);
  }

  /** The parameters of a strategy (empty: its defaults). */
  public Map<String, String> parametersOf(String strategy) {
    return strategyParameters.getOrDefault(strategy, Map.of());
  }

  /** Whether a cell of this strategy and mode chooses its own initial set. */
  public boolean choosesOwnInitialSet(String strategy, Mode mode) {
    return coldStart && mode == Mode.PRETRAINED && COLD_START_STRATEGIES.contains(strategy);
  }

  /** The encoder architecture. */
  public EncoderSpec encoder() {
    return EncoderSpec.preset(encoderPreset);
  }

  /**
   * The protocol as an ordered map of plain values: what the manifest stores and compares, and what
   * names the cached pre-training.
   */
  public Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("dataset", dataset);
    out.put("encoder_preset", encoderPreset);
    out.put("image_size", imageSize);
    out.put("initial_size", initialSize);
    out.put("initial_fraction", initialFraction);
    out.put("budget_size", budgetSize);
    out.put("budget_fraction", budgetFraction);
    out.put("rounds", rounds);
    out.put("pretraining", pretraining.describe());
    out.put("finetuning", finetuning.describe());
    out.put("cold_start", coldStart);
    Map<String, Object> params = new TreeMap<>(strategyParameters);
    out.put("strategy_parameters", params);
    return out;
  }

  /** A builder starting from this protocol. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Changes a protocol field by field; {@link #build()} checks the result. */
  public static final class Builder {
    private String dataset;
    private String encoderPreset;
    private int imageSize;
    private int initialSize;
    private double initialFraction;
    private int budgetSize;
    private double budgetFraction;
    private int rounds;
    private PretrainSettings pretraining;
    private FinetuneSettings finetuning;
    private boolean coldStart;
    private Map<String, Map<String, String>> strategyParameters;

    private Builder(Protocol p) {
      dataset = p.dataset;
      encoderPreset = p.encoderPreset;
      imageSize = p.imageSize;
      initialSize = p.initialSize;
      initialFraction = p.initialFraction;
      budgetSize = p.budgetSize;
      budgetFraction = p.budgetFraction;
      rounds = p.rounds;
      pretraining = p.pretraining;
      finetuning = p.finetuning;
      coldStart = p.coldStart;
      strategyParameters = p.strategyParameters;
    }

    public Builder dataset(String value) {
      dataset = value;
      return this;
    }

    public Builder encoderPreset(String value) {
      encoderPreset = value;
      return this;
    }

    public Builder imageSize(int value) {
      imageSize = value;
      return this;
    }

    /** A fixed initial size (the fraction is then unused). */
    public Builder initialSize(int value) {
      initialSize = value;
      return this;
    }

    /** An initial fraction of the pool (clears a fixed size). */
    public Builder initialFraction(double value) {
      initialFraction = value;
      initialSize = 0;
      return this;
    }

    /** A fixed per-round budget (the fraction is then unused). */
    public Builder budgetSize(int value) {
      budgetSize = value;
      return this;
    }

    /** A per-round fraction of the pool (clears a fixed size). */
    public Builder budgetFraction(double value) {
      budgetFraction = value;
      budgetSize = 0;
      return this;
    }

    public Builder rounds(int value) {
      rounds = value;
      return this;
    }

    public Builder pretraining(PretrainSettings value) {
      pretraining = value;
      return this;
    }

    public Builder finetuning(FinetuneSettings value) {
      finetuning = value;
      return this;
    }

    public Builder coldStart(boolean value) {
      coldStart = value;
      return this;
    }

    public Builder strategyParameters(Map<String, Map<String, String>> value) {
      strategyParameters = value;
      return this;
    }

    public Protocol build() {
      return new Protocol(
          dataset,
          encoderPreset,
          imageSize,
          initialSize,
          initialFraction,
          budgetSize,
          budgetFraction,
          rounds,
          pretraining,
          finetuning,
          coldStart,
          strategyParameters);
    }
  }
}
