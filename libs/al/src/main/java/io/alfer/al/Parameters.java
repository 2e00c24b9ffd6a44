package io.alfer.al;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A strategy's parameters: the caller's values over the strategy's defaults, checked against the
 * strategy's {@link ParameterSpec}s. Every getter names the parameter and the strategy when a value
 * is malformed or out of range.
 */
public final class Parameters {
  private final String strategy;
  private final Map<String, String> values;

  /**
   * Validates {@code given} against {@code specs}.
   *
   * @throws IllegalArgumentException naming the unknown parameter and listing the valid ones
   */
  public Parameters(String strategy, List<ParameterSpec> specs, Map<String, String> given) {
    this.strategy = strategy;
    Map<String, String> merged = new LinkedHashMap<>();
    for (ParameterSpec spec : specs) {
      if (spec.defaultValue() != null) {
        merged.put(spec.name(), spec.defaultValue());
      }
    }
    for (Map.Entry<String, String> e : new TreeMap<>(given).entrySet()) {
      if (specs.stream().noneMatch(s -> s.name().equals(e.getKey()))) {
        throw new IllegalArgumentException(
            "strategy '"
                + strategy
                + "' has no parameter '"
                + e.getKey()
                + "'; valid parameters: "
                + (specs.isEmpty()
                    ? "none"
                    : String.join(", ", specs.stream().map(ParameterSpec::name).toList())));
      }
      if (e.getValue() == null || e.getValue().isBlank()) {
        throw new IllegalArgumentException(
            "strategy '" + strategy + "' parameter '" + e.getKey() + "' has no value");
      }
      merged.put(e.getKey(), e.getValue().trim());
    }
    this.values = merged;
  }

  /** Every parameter with a value, defaults included, in declaration order. */
  public Map<String, String> asMap() {
    return Map.copyOf(values);
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** An integer in {@code [min, max]}. */
  public int intValue(String name, int min, int max) {
    String raw = require(name);
    int value;
    try {
      value = Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw invalid(name, raw, "an integer");
    }
    if (value < min || value > max) {
      throw invalid(name, raw, "an integer in [" + min + ", " + max + "]");
    }
    return value;
  }

  /** A finite number in {@code [min, max]} ({@code maxInclusive} says whether max is allowed). */
  public double doubleValue(String name, double min, double max, boolean maxInclusive) {
    String raw = require(name);
    double value;
    try {
      value = Double.parseDouble(raw);
    } catch (NumberFormatException e) {
      throw invalid(name, raw, "a number");
    }
    boolean belowMax = maxInclusive ? value <= max : value < max;
    if (!(value >= min) || !belowMax) {
      throw invalid(name, raw, "a number in [" + min + ", " + max + (maxInclusive ? "]" : ")"));
    }
    return value;
  }

  /** One of {@code allowed}. */
  public String choice(String name, List<String> allowed) {
    String raw = require(name);
    if (!allowed.contains(raw)) {
      throw invalid(name, raw, "one of " + String.join(", ", allowed));
    }
    return raw;
  }

  private String require(String name) {
    String raw = values.get(name);
    if (raw == null) {
      throw new IllegalArgumentException(
          "strategy '" + strategy + "' needs parameter '" + name + "'");
    }
    return raw;
  }

  private IllegalArgumentException invalid(String name, String raw, String expected) {
    return new IllegalArgumentException(
        "strategy '"
            + strategy
            + "' parameter '"
            + name
            + "' must be "
            + expected
            + ", got '"
            + raw
            + "'");
  }
}
