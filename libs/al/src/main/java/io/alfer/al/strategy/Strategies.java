package io.alfer.al.strategy;

import io.alfer.al.ParameterSpec;
import io.alfer.al.Parameters;
import io.alfer.al.SelectionStrategy;
import io.alfer.al.strategy.UncertaintyStrategy.Measure;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The strategy registry: the one place that maps the names and parameters the select service and
 * the experiment runner accept to strategies.
 *
 * <pre>{@code
 * SelectionStrategy s = Strategies.create("bald", Map.of("samples", "20"));
 * Selection picked = s.select(pool, 1000, 42L);
 * }</pre>
 */
public final class Strategies {
  private record Entry(
      List<ParameterSpec> parameters, Function<Parameters, SelectionStrategy> make) {}

  private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

  static {
    register("random", List.of(), RandomStrategy::new);
    for (Measure measure : Measure.values()) {
      register(measure.strategyName(), List.of(), p -> new UncertaintyStrategy(measure, p));
    }
    register("bald", StrategyParameters.BALD, BaldStrategy::new);
    register("badge", List.of(), BadgeStrategy::new);
    register("glister", StrategyParameters.GLISTER, GlisterStrategy::new);
    register("coreset", List.of(), CoreSetStrategy::new);
    register("deepfool", StrategyParameters.DEEPFOOL, DeepFoolStrategy::new);
    register("typiclust", StrategyParameters.TYPICLUST, TypiClustStrategy::new);
    register("probcover", StrategyParameters.PROBCOVER, ProbCoverStrategy::new);
  }

  private Strategies() {}

  private static void register(
      String name, List<ParameterSpec> parameters, Function<Parameters, SelectionStrategy> make) {
    REGISTRY.put(name, new Entry(parameters, make));
  }

  /** Every strategy name, in a stable order: random, the paper's eight, the cold-start two. */
  public static List<String> names() {
    return List.copyOf(REGISTRY.keySet());
  }

  /**
   * The parameters {@code name} accepts.
   *
   * @throws IllegalArgumentException for an unknown name, listing the valid ones
   */
  public static List<ParameterSpec> parameters(String name) {
    return entry(name).parameters();
  }

  /**
   * Builds strategy {@code name} with {@code parameters} (unset ones take their defaults).
   *
   * @throws IllegalArgumentException for an unknown name or parameter (listing the valid ones) or a
   *     malformed or out-of-range value
   */
  public static SelectionStrategy create(String name, Map<String, String> parameters) {
    Objects.requireNonNull(parameters, "parameters");
    Entry entry = entry(name);
    return entry.make().apply(new Parameters(name, entry.parameters(), parameters));
  }

  /** {@link #create(String, Map)} with default parameters. */
  public static SelectionStrategy create(String name) {
    return create(name, Map.of());
  }

  private static Entry entry(String name) {
    Entry entry = REGISTRY.get(name);
    if (entry == null) {
      throw new IllegalArgumentException(
          "unknown strategy '" + name + "'; valid strategies: " + String.join(", ", names()));
    }
    return entry;
  }
}
