package io.alfer.ml.checkpoint;

import java.util.Map;

/**
 * Where a model came from.
 *
 * @param dataset the dataset it was trained on
 * @param seed the run's seed
 * @param training the training configuration (a JSON-like tree, e.g. from {@link
 *     ModelMetadata#describe(Object)})
 * @param metrics named results (accuracy, final loss, ...)
 * @param pretrainedFrom the id of the encoder a classifier started from, or null
 */
public record Provenance(
    String dataset,
    long seed,
    Map<String, Object> training,
    Map<String, Double> metrics,
    String pretrainedFrom) {

  public Provenance {
    if (dataset == null || dataset.isBlank()) {
      throw new IllegalArgumentException("provenance needs the dataset");
    }
    training = training == null ? Map.of() : Map.copyOf(training);
    metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
  }
}
