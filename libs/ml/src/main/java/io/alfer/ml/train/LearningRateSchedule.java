package io.alfer.ml.train;

/**
 * The learning rate at each optimizer step: linear warm-up over the first {@code warmupSteps}
 * steps, then cosine decay (or constant) until {@code totalSteps}.
 */
public final class LearningRateSchedule {
  private final OptimizerConfig config;
  private final long warmupSteps;
  private final long totalSteps;

  /** A schedule of whole epochs, warming up over the optimizer's {@code warmupEpochs}. */
  public LearningRateSchedule(OptimizerConfig config, long stepsPerEpoch, int epochs) {
    this(
        config,
        requirePositive(stepsPerEpoch, epochs) * epochs,
        Math.min(stepsPerEpoch * config.warmupEpochs(), stepsPerEpoch * epochs));
  }

  private LearningRateSchedule(OptimizerConfig config, long totalSteps, long warmupSteps) {
    this.config = config;
    this.totalSteps = totalSteps;
    this.warmupSteps = warmupSteps;
  }

  /**
   * A schedule of {@code totalSteps} steps whose first {@code warmupSteps} warm up (the optimizer's
   * {@code warmupEpochs} is not used).
   */
  public static LearningRateSchedule ofSteps(
      OptimizerConfig config, long totalSteps, long warmupSteps) {
    if (totalSteps <= 0 || warmupSteps < 0 || warmupSteps > totalSteps) {
      throw new IllegalArgumentException(
          "a schedule needs positive steps and at most as many warm-up steps, got "
              + totalSteps
              + " and "
              + warmupSteps);
    }
    return new LearningRateSchedule(config, totalSteps, warmupSteps);
  }

  private static long requirePositive(long stepsPerEpoch, int epochs) {
    if (stepsPerEpoch <= 0 || epochs <= 0) {
      throw new IllegalArgumentException(
          "a schedule needs positive steps per epoch and epochs, got "
              + stepsPerEpoch
              + " and "
              + epochs);
    }
    return stepsPerEpoch;
  }

  /** The learning rate of step {@code step} (0-based). */
  public double rate(long step) {
    double peak = config.learningRate();
    if (step < warmupSteps) {
      return peak * (step + 1) / warmupSteps;
    }
    if (config.schedule() == OptimizerConfig.Schedule.CONSTANT) {
      return peak;
    }
    long decaySteps = totalSteps - warmupSteps;
    double progress =
        decaySteps <= 1 ? 0 : Math.min(1.0, (double) (step - warmupSteps) / (decaySteps - 1));
    double floor = peak * config.finalLearningRateFraction();
    return floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
  }

  public long totalSteps() {
    return totalSteps;
  }
}
