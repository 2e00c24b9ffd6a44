package io.alfer.ml.finetune;

import io.alfer.ml.data.AugmentationConfig;
import io.alfer.ml.train.OptimizerConfig;
import java.util.List;
import java.util.function.Consumer;

/**
 * How a round's classifier is trained on the labelled set.
 *
 * <p>The length is counted in optimiser steps, not epochs: a few hundred labels make only a few
 * batches per epoch, so a length in epochs shrinks with the labelled set exactly where the network
 * needs the most steps to learn. A run makes {@code max(minSteps, epochs × batches per epoch)}
 * steps, at most {@code maxEpochs} epochs when that cap is set; the learning rate warms up linearly
 * over the first {@code warmupFraction} of the steps, then follows the optimizer's schedule (cosine
 * to zero) over the rest.
 *
 * @param optimizer update rule, peak learning rate (of the head), momentum, weight decay and the
 *     schedule after warm-up; its {@code warmupEpochs} must be 0 (warm-up is {@code
 *     warmupFraction})
 * @param warmupFraction share of the steps spent warming the learning rate up from 0, in [0, 1)
 * @param batchSize labelled images per step (fewer when the labelled set is smaller)
 * @param minSteps the fewest optimiser steps a run makes, whatever the labelled set's size
 * @param epochs passes over the labelled set when they make more steps than {@code minSteps}
 * @param maxEpochs a cap on the length in epochs (0 = none): a caller's bound for short runs
 * @param stopAtTrainAccuracy stop after the first epoch whose training accuracy reaches this (0 =
 *     run the whole schedule)
 * @param dropout dropout rate before the linear head (what BALD's MC-dropout samples)
 * @param augmentation augmentation of the labelled images
 * @param classWeighting how the loss weighs rare classes
 * @param pretrained how an encoder that starts from pre-trained weights is fine-tuned
 * @param seed fixes the head's initialisation, shuffling, augmentation and dropout
 */
public record FineTuneConfig(
    OptimizerConfig optimizer,
    double warmupFraction,
    int batchSize,
    int minSteps,
    int epochs,
    int maxEpochs,
    double stopAtTrainAccuracy,
    float dropout,
    AugmentationConfig augmentation,
    ClassWeighting classWeighting,
    PretrainedTuning pretrained,
    long seed) {

  /**
   * How a pre-trained encoder is fine-tuned: the LP-FT recipe (Kumar et al., ICLR 2022) — first
   * only the new head learns, on the encoder's features, then everything — with a lower learning
   * rate for the encoder than for the head, so that a random head does not wreck good features.
   * From scratch neither applies.
   *
   * @param headOnlyFraction share of the steps in which only the head learns, in [0, 1)
   * @param encoderLearningRateFactor the encoder's learning rate as a fraction of the head's, in
   *     [0, 1]
   */
  public record PretrainedTuning(double headOnlyFraction, double encoderLearningRateFactor) {
    /** Fine-tune everything at one learning rate from the first step. */
    public static final PretrainedTuning PLAIN = new PretrainedTuning(0, 1);

    public PretrainedTuning {
      if (!(headOnlyFraction >= 0 && headOnlyFraction < 1)) {
        throw new IllegalArgumentException(
            "headOnlyFraction must lie in [0, 1), got " + headOnlyFraction);
      }
      if (!(encoderLearningRateFactor >= 0 && encoderLearningRateFactor <= 1)) {
        throw new IllegalArgumentException(
            "encoderLearningRateFactor must lie in [0, 1], got " + encoderLearningRateFactor);
      }
    }
  }

  public FineTuneConfig {
    if (optimizer == null || augmentation == null || classWeighting == null || pretrained == null) {
      throw new IllegalArgumentException(
          "optimizer, augmentation, class weighting and pre-trained tuning are required");
    }
    if (optimizer.warmupEpochs() != 0) {
      throw new IllegalArgumentException(
          "fine-tuning warms up over warmupFraction of its steps; the optimizer's warmupEpochs"
              + " must be 0, got "
              + optimizer.warmupEpochs());
    }
    if (!(warmupFraction >= 0 && warmupFraction < 1)) {
      throw new IllegalArgumentException(
          "warmupFraction must lie in [0, 1), got " + warmupFraction);
    }
    if (batchSize < 2) {
      throw new IllegalArgumentException("batch size must be at least 2, got " + batchSize);
    }
    if (minSteps < 0 || epochs < 0 || minSteps + epochs == 0) {
      throw new IllegalArgumentException(
          "minSteps and epochs must be >= 0 and not both 0, got " + minSteps + ", " + epochs);
    }
    if (maxEpochs < 0) {
      throw new IllegalArgumentException("maxEpochs must be >= 0 (0 = no cap), got " + maxEpochs);
    }
    if (!(stopAtTrainAccuracy >= 0 && stopAtTrainAccuracy <= 1)) {
      throw new IllegalArgumentException(
          "stopAtTrainAccuracy must lie in [0, 1] (0 = never), got " + stopAtTrainAccuracy);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout must lie in [0, 1), got " + dropout);
    }
  }

  /** The name of the {@link #paper} preset. */
  public static final String PAPER = "paper";

  /** The name of the {@link #cpuFast} preset. */
  public static final String CPU_FAST = "cpu-fast";

  /** Every preset name, as a request, a campaign or an experiment profile names it. */
  public static final List<String> PRESETS = List.of(PAPER, CPU_FAST);

  /**
   * The preset named {@code name} for {@code seed}.
   *
   * @throws IllegalArgumentException naming the known presets when there is none of that name
   */
  public static FineTuneConfig preset(String name, long seed) {
    return switch (name == null ? "" : name) {
      case PAPER -> paper(seed);
      case CPU_FAST -> cpuFast(seed);
      default ->
          throw new IllegalArgumentException(
              "unknown fine-tuning preset '" + name + "'; known: " + PRESETS);
    };
  }

  /**
   * The paper's protocol: SGD (lr 0.01, momentum 0.9, weight decay 5e-4) with a cosine schedule,
   * batch 20, 200 epochs, stopping at 99.9 % training accuracy, dropout 0.5; meant for the paper's
   * labelled sets (thousands of images, so 200 epochs are tens of thousands of steps), and given
   * the same floor of steps, warm-up and augmentation as {@link #cpuFast} for small ones.
   */
  public static FineTuneConfig paper(long seed) {
    return new FineTuneConfig(
        OptimizerConfig.sgd(0.01, 0.9, 5e-4),
        0.1,
        20,
        1600,
        200,
        0,
        0.999,
        0.5f,
        AugmentationConfig.FINE_TUNE,
        ClassWeighting.NONE,
        PretrainedTuning.PLAIN,
        seed);
  }

  /**
   * The CPU preset, measured on the synthetic faces (libs/ml README, "Fine-tuning"): SGD (peak lr
   * 0.2, momentum 0.9, weight decay 5e-4), 10 % warm-up then cosine to 0, batch 32, at least 1,600
   * steps or 30 epochs, no early stop, dropout 0.3, crops of 60–100 % of the area with flips and
   * light brightness/contrast jitter; a pre-trained encoder is fine-tuned with the head at the same
   * rate (a lower encoder rate and a head-only start measured worse with SimCLR encoders of this
   * size).
   */
  public static FineTuneConfig cpuFast(long seed) {
    return new FineTuneConfig(
        OptimizerConfig.sgd(0.2, 0.9, 5e-4),
        0.1,
        32,
        1600,
        30,
        0,
        0,
        0.3f,
        AugmentationConfig.FINE_TUNE,
        ClassWeighting.NONE,
        PretrainedTuning.PLAIN,
        seed);
  }

  /**
   * The number of optimiser steps for a labelled set that makes {@code batchesPerEpoch} batches.
   */
  public long steps(int batchesPerEpoch) {
    long steps = Math.max(minSteps, (long) epochs * batchesPerEpoch);
    return maxEpochs > 0 ? Math.min(steps, (long) maxEpochs * batchesPerEpoch) : steps;
  }

  /** The same configuration with another optimizer. */
  public FineTuneConfig withOptimizer(OptimizerConfig value) {
    return with(b -> b.optimizer = value);
  }

  /** The same configuration with a cap on its length in epochs (0 = none). */
  public FineTuneConfig withMaxEpochs(int value) {
    return with(b -> b.maxEpochs = value);
  }

  /** The same configuration with another length: at least {@code min} steps or {@code epochs}. */
  public FineTuneConfig withLength(int min, int epochCount) {
    return with(
        b -> {
          b.minSteps = min;
          b.epochs = epochCount;
        });
  }

  /** The same configuration with another batch size. */
  public FineTuneConfig withBatchSize(int value) {
    return with(b -> b.batchSize = value);
  }

  /** The same configuration with another augmentation. */
  public FineTuneConfig withAugmentation(AugmentationConfig value) {
    return with(b -> b.augmentation = value);
  }

  /** The same configuration with another dropout rate. */
  public FineTuneConfig withDropout(float value) {
    return with(b -> b.dropout = value);
  }

  /** The same configuration with another class weighting. */
  public FineTuneConfig withClassWeighting(ClassWeighting value) {
    return with(b -> b.classWeighting = value);
  }

  /** The same configuration with another way of tuning a pre-trained encoder. */
  public FineTuneConfig withPretrained(PretrainedTuning value) {
    return with(b -> b.pretrained = value);
  }

  /** The same configuration with another warm-up share and early-stop threshold. */
  public FineTuneConfig withSchedule(double warmup, double stopAt) {
    return with(
        b -> {
          b.warmupFraction = warmup;
          b.stopAtTrainAccuracy = stopAt;
        });
  }

  /** The same configuration with another seed. */
  public FineTuneConfig withSeed(long value) {
    return with(b -> b.seed = value);
  }

  private FineTuneConfig with(Consumer<Fields> change) {
    Fields b = new Fields(this);
    change.accept(b);
    return b.build();
  }

  /** The components as mutable fields, for the {@code with…} methods. */
  private static final class Fields {
    private OptimizerConfig optimizer;
    private double warmupFraction;
    private int batchSize;
    private int minSteps;
    private int epochs;
    private int maxEpochs;
    private double stopAtTrainAccuracy;
    private float dropout;
    private AugmentationConfig augmentation;
    private ClassWeighting classWeighting;
    private PretrainedTuning pretrained;
    private long seed;

    private Fields(FineTuneConfig c) {
      optimizer = c.optimizer;
      warmupFraction = c.warmupFraction;
      batchSize = c.batchSize;
      minSteps = c.minSteps;
      epochs = c.epochs;
      maxEpochs = c.maxEpochs;
      stopAtTrainAccuracy = c.stopAtTrainAccuracy;
      dropout = c.dropout;
      augmentation = c.augmentation;
      classWeighting = c.classWeighting;
      pretrained = c.pretrained;
      seed = c.seed;
    }

    private FineTuneConfig build() {
      return new FineTuneConfig(
          optimizer,
          warmupFraction,
          batchSize,
          minSteps,
          epochs,
          maxEpochs,
          stopAtTrainAccuracy,
          dropout,
          augmentation,
          classWeighting,
          pretrained,
          seed);
    }
  }
}
