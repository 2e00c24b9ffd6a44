package io.alfer.al;

/**
 * One parameter a strategy accepts.
 *
 * @param name the parameter's name, as written in the select service's and the experiment runner's
 *     configuration
 * @param defaultValue its default, or {@code null} when it has none (optional or computed)
 * @param description what it does and its valid range
 */
public record ParameterSpec(String name, String defaultValue, String description) {}
