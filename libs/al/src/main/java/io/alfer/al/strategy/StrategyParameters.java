package io.alfer.al.strategy;

import io.alfer.al.ParameterSpec;
import java.util.List;

/** The parameter lists of the strategies that take parameters, for the registry. */
public final class StrategyParameters {
  /** {@link BaldStrategy}'s parameters. */
  public static final List<ParameterSpec> BALD = BaldStrategy.PARAMETERS;

  /** {@link GlisterStrategy}'s parameters. */
  public static final List<ParameterSpec> GLISTER = GlisterStrategy.PARAMETERS;

  /** {@link DeepFoolStrategy}'s parameters. */
  public static final List<ParameterSpec> DEEPFOOL = DeepFoolStrategy.PARAMETERS;

  /** {@link TypiClustStrategy}'s parameters. */
  public static final List<ParameterSpec> TYPICLUST = TypiClustStrategy.PARAMETERS;

  /** {@link ProbCoverStrategy}'s parameters. */
  public static final List<ParameterSpec> PROBCOVER = ProbCoverStrategy.PARAMETERS;

  private StrategyParameters() {}
}
