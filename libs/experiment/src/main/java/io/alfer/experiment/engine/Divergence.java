package io.alfer.experiment.engine;

/**
 * A training run that stopped on a non-finite loss. On the 2-core development machine SimCLR
 * pre-training stopped so now and then (tiny encoder, 32 px, SGD 0.05–0.1) after a step whose loss
 * was finite but whose gradients were NaN in every parameter; computing the same step again from
 * the same weights and images gave finite gradients, so it is not a property of the data or the
 * settings. A diverged run is therefore run again from its last good state a few times before the
 * experiment gives up (and says so).
 */
public final class Divergence {
  /** Attempts of one training run, the first included. */
  public static final int ATTEMPTS = 3;

  private Divergence() {}

  /** Whether {@code e} is alfer-ml's "training diverged" failure. */
  public static boolean is(RuntimeException e) {
    return e instanceof IllegalStateException
        && e.getMessage() != null
        && e.getMessage().startsWith("training diverged");
  }
}
