package io.alfer.ml.train;

/**
 * Optimizer and learning-rate schedule: SGD with momentum or AdamW, a linear warm-up, then a cosine
 * decay (or a constant rate) down to {@code finalLearningRateFraction} of the peak.
 *
 * @param kind SGD or ADAMW
 * @param learningRate peak learning rate (0 freezes every parameter)
 * @param momentum SGD momentum, or AdamW's beta1
 * @param weightDecay L2 penalty (SGD) or decoupled decay (AdamW)
 * @param warmupEpochs epochs of linear warm-up from 0 to the peak
 * @param schedule what follows the warm-up
 * @param finalLearningRateFraction the cosine schedule ends at this fraction of the peak
 */
public record OptimizerConfig(
    Kind kind,
    double learningRate,
    double momentum,
    double weightDecay,
    int warmupEpochs,
    Schedule schedule,
    double finalLearningRateFraction) {

  /** The update rule. */
  public enum Kind {
    SGD,
    ADAMW
  }

  /** The learning rate after warm-up. */
  public enum Schedule {
    COSINE,
    CONSTANT
  }

  public OptimizerConfig {
    if (kind == null || schedule == null) {
      throw new IllegalArgumentException("optimizer kind and schedule are required");
    }
    if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be >= 0, got " + learningRate);
    }
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("momentum must lie in [0, 1), got " + momentum);
    }
    if (!(weightDecay >= 0)) {
      throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
    }
    if (warmupEpochs < 0) {
      throw new IllegalArgumentException("warm-up epochs must be >= 0, got " + warmupEpochs);
    }
    if (!(finalLearningRateFraction >= 0 && finalLearningRateFraction <= 1)) {
      throw new IllegalArgumentException(
          "final learning-rate fraction must lie in [0, 1], got " + finalLearningRateFraction);
    }
  }

  /** SGD with momentum and a cosine schedule without warm-up. */
  public static OptimizerConfig sgd(double learningRate, double momentum, double weightDecay) {
    return new OptimizerConfig(
        Kind.SGD, learningRate, momentum, weightDecay, 0, Schedule.COSINE, 0.0);
  }

  /** AdamW (beta1 0.9) with warm-up and a cosine schedule. */
  public static OptimizerConfig adamW(double learningRate, double weightDecay, int warmupEpochs) {
    return new OptimizerConfig(
        Kind.ADAMW, learningRate, 0.9, weightDecay, warmupEpochs, Schedule.COSINE, 0.0);
  }

  /** The same optimizer with another warm-up length. */
  public OptimizerConfig withWarmupEpochs(int epochs) {
    return new OptimizerConfig(
        kind, learningRate, momentum, weightDecay, epochs, schedule, finalLearningRateFraction);
  }

  /** The same optimizer with another peak learning rate. */
  public OptimizerConfig withLearningRate(double rate) {
    return new OptimizerConfig(
        kind, rate, momentum, weightDecay, warmupEpochs, schedule, finalLearningRateFraction);
  }
}
