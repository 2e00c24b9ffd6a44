package io.alfer.oracle.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the oracle vendor answers ({@code alfer.oracle.*}). */
@ConfigMapping(prefix = "alfer.oracle")
public interface OracleConfig {
  /** The vendor name whose tasks the oracle answers. */
  @WithDefault("oracle")
  String vendor();

  /** Probability in [0, 1] of answering a random other class instead of the true one. */
  @WithDefault("0.0")
  double errorRate();

  /** Time between reading a task and answering it. */
  @WithDefault("PT0S")
  Duration delay();

  /** Seed of the error draws. */
  @WithDefault("42")
  long seed();

  /** Distinct annotators the oracle pretends to be. */
  @WithDefault("3")
  int annotators();
}
