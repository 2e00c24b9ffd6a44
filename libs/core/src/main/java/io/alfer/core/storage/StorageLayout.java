package io.alfer.core.storage;

/**
 * The object keys of the alfer bucket. One bucket, prefixes by kind: {@code datasets/}, {@code
 * images/}, {@code originals/}, {@code segments/}, {@code shards/}, {@code models/}, {@code
 * embeddings/}, {@code reports/}, {@code claims/}.
 */
public final class StorageLayout {
  private StorageLayout() {}

  /** The definition (taxonomy, size) of a dataset, as JSON. */
  public static String datasetDefinition(String dataset) {
    return "datasets/" + dataset + "/dataset.json";
  }

  /**
   * A dataset defined with its size but not yet its classes (they come from its first import), as
   * JSON; the ingest service's own record, replaced by {@link #datasetDefinition} at that import.
   */
  public static String datasetDraft(String dataset) {
    return "datasets/" + dataset + "/draft.json";
  }

  /** Prefix of every image of a dataset. */
  public static String imagesPrefix(String dataset) {
    return "images/" + dataset + "/";
  }

  /** The canonical grayscale PNG of an image. */
  public static String canonicalImage(String dataset, String imageId) {
    return imagesPrefix(dataset) + imageId + ".png";
  }

  /** The original bytes of an image, with the extension of its format. */
  public static String originalImage(String dataset, String imageId, String extension) {
    return "originals/" + dataset + "/" + imageId + "." + extension;
  }

  /** A pixel segment of a dataset, named by the hex SHA-256 of its bytes. */
  public static String pixelSegment(String dataset, String sha256) {
    return "segments/" + dataset + "/" + sha256 + ".px";
  }

  /** Prefix of a dataset's packed training shards. */
  public static String shardsPrefix(String dataset) {
    return "shards/" + dataset + "/";
  }

  /** Prefix of a model's files (checkpoint, encoder.onnx, metadata). */
  public static String modelPrefix(String modelId) {
    return "models/" + modelId + "/";
  }

  /** Prefix of a model's outputs over a dataset split. */
  public static String embeddingsPrefix(String modelId, String dataset, String split) {
    return "embeddings/" + modelId + "/" + dataset + "/" + split + "/";
  }

  /** Prefix of reports (experiments, campaigns). */
  public static String reportsPrefix(String name) {
    return "reports/" + name + "/";
  }

  /** Prefix of every claim-checked payload (the part of an event too large for its record). */
  public static final String CLAIMS_PREFIX = "claims/";

  /**
   * A claim-checked payload, content-addressed: the serialized message of type {@code kind} (e.g.
   * {@code selection-made}) whose SHA-256 is {@code sha256}.
   */
  public static String claim(String kind, String sha256) {
    return CLAIMS_PREFIX + kind + "/" + sha256 + ".pb";
  }
}
