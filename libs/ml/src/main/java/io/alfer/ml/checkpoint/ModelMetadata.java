package io.alfer.ml.checkpoint;

import io.alfer.ml.data.Normalization;
import io.alfer.ml.model.ClassifierModel;
import io.alfer.ml.model.EncoderModel;
import io.alfer.ml.model.EncoderSpec;
import io.alfer.ml.store.StoredJson;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to rebuild and interpret a model besides its parameters: what it is, the
 * architecture, input size, normalisation, class names, dropout, provenance, and the SHA-256 of the
 * parameters it goes with. Stored as JSON next to the parameters.
 *
 * @param formatVersion checkpoint format version
 * @param kind encoder or classifier
 * @param architecture the encoder architecture
 * @param inputHeight input height in pixels
 * @param inputWidth input width in pixels
 * @param normalization pixel normalisation
 * @param taxonomy class names in logit order (empty for encoders)
 * @param dropout dropout rate before the head (0 for encoders)
 * @param provenance dataset, seed, training configuration, metrics
 * @param parametersSha256 hex SHA-256 of the parameter bytes
 */
public record ModelMetadata(
    int formatVersion,
    ModelKind kind,
    EncoderSpec architecture,
    int inputHeight,
    int inputWidth,
    Normalization normalization,
    List<String> taxonomy,
    float dropout,
    Provenance provenance,
    String parametersSha256) {

  /** The version written by this code. */
  public static final int FORMAT_VERSION = 1;

  public ModelMetadata {
    if (kind == null || architecture == null || normalization == null || provenance == null) {
      throw new IllegalArgumentException(
          "metadata needs kind, architecture, normalization and provenance");
    }
    taxonomy = taxonomy == null ? List.of() : List.copyOf(taxonomy);
    if (kind == ModelKind.CLASSIFIER && taxonomy.size() < 2) {
      throw new IllegalArgumentException(
          "a classifier's metadata needs its class names, got " + taxonomy);
    }
  }

  /** Metadata of an encoder (parameters hash filled in by {@link Checkpoint#of}). */
  public static ModelMetadata encoder(EncoderModel model, Provenance provenance) {
    return new ModelMetadata(
        FORMAT_VERSION,
        ModelKind.ENCODER,
        model.spec(),
        model.height(),
        model.width(),
        model.normalization(),
        List.of(),
        0f,
        provenance,
        null);
  }

  /** Metadata of a classifier whose logits follow {@code taxonomy}. */
  public static ModelMetadata classifier(
      ClassifierModel model, List<String> taxonomy, Provenance provenance) {
    if (taxonomy.size() != model.classes()) {
      throw new IllegalArgumentException(
          "the classifier has " + model.classes() + " classes but the taxonomy " + taxonomy.size());
    }
    return new ModelMetadata(
        FORMAT_VERSION,
        ModelKind.CLASSIFIER,
        model.spec(),
        model.height(),
        model.width(),
        model.normalization(),
        taxonomy,
        model.network().dropoutRate(),
        provenance,
        null);
  }

  /**
   * A training configuration (any record) as a JSON-like tree for {@link Provenance#training}: the
   * values a stored copy reads back as ({@link StoredJson#tree}), so whole numbers are {@link
   * Integer} or {@link Long} and others {@link Double}; read them as {@link Number}.
   */
  public static Map<String, Object> describe(Object configuration) {
    return StoredJson.tree(configuration);
  }

  /** The same metadata with the hash of its parameters. */
  public ModelMetadata withParametersSha256(String sha256) {
    return new ModelMetadata(
        formatVersion,
        kind,
        architecture,
        inputHeight,
        inputWidth,
        normalization,
        taxonomy,
        dropout,
        provenance,
        sha256);
  }

  /** Pretty-printed JSON ({@link StoredJson}). */
  public String toJson() {
    return StoredJson.write(this);
  }

  /** Parses {@link #toJson()}'s output; fails clearly on other content or versions. */
  public static ModelMetadata fromJson(String json) {
    ModelMetadata metadata = StoredJson.read(json, ModelMetadata.class, "model metadata");
    if (metadata.formatVersion() != FORMAT_VERSION) {
      throw new IllegalArgumentException(
          "unsupported checkpoint format version " + metadata.formatVersion());
    }
    return metadata;
  }
}
