package io.alfer.experiment.config;

/**
 * One run of the protocol: a strategy in a mode with a seed, from round 0 to the last round.
 *
 * @param strategy strategy name (see {@link io.alfer.al.strategy.Strategies#names()})
 * @param mode from scratch or pre-trained
 * @param seed fixes the initial set, every selection, initialisation, augmentation and dropout
 */
public record Cell(String strategy, Mode mode, long seed) {
  /** A readable key, e.g. {@code entropy/pretrained/seed 2}. */
  public String label() {
    return strategy + "/" + mode.label() + "/seed " + seed;
  }

  /** A file-name-safe key, e.g. {@code entropy-pretrained-s2}. */
  public String fileKey() {
    return strategy + "-" + mode.label() + "-s" + seed;
  }
}
