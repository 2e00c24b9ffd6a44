package io.alfer.ml.checkpoint;

import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.StorageLayout;
import io.alfer.ml.store.BlobStore;
import io.alfer.proto.onnx.ModelProto;
import java.nio.charset.StandardCharsets;

/**
 * Models in object storage under {@code models/<id>/}: {@value #CHECKPOINT} (parameters and
 * metadata), {@value #METADATA} (the metadata alone, for readers without DJL) and the ONNX export
 * ({@value #ENCODER_ONNX} or {@value #CLASSIFIER_ONNX}); a classifier also has its linear head
 * {@value #HEAD} and, when asked for, DeepFool sizes {@value #PERTURBATIONS} with their ids {@value
 * #PERTURBATION_IDS} (matrices and id lists in {@code io.alfer.core.storage}'s formats).
 */
public final class ModelStore {
  public static final String CHECKPOINT = "checkpoint.zip";
  public static final String METADATA = "metadata.json";
  public static final String ENCODER_ONNX = "encoder.onnx";
  public static final String CLASSIFIER_ONNX = "classifier.onnx";

  /** A classifier's head: a classes × (embedding + 1) matrix, row k = class k's weights, bias. */
  public static final String HEAD = "head.f32";

  /**
   * A classifier's evaluation on the test split as JSON: classes, test accuracy, per-class accuracy
   * and count, and the confusion matrix ({@code confusion[true][predicted]}).
   */
  public static final String EVALUATION = "evaluation.json";

  /** DeepFool perturbation sizes of the unlabelled pool: an n × 1 matrix. */
  public static final String PERTURBATIONS = "perturbations.f32";

  /** The image ids of the rows of {@value #PERTURBATIONS}, one per line. */
  public static final String PERTURBATION_IDS = "perturbation-ids.txt";

  private final BlobStore store;

  public ModelStore(BlobStore store) {
    this.store = store;
  }

  /** A model store on alfer's S3 bucket. */
  public static ModelStore on(ObjectStore store) {
    return new ModelStore(BlobStore.of(store));
  }

  /** Saves a checkpoint (archive first, then the metadata beside it). */
  public void save(String modelId, Checkpoint checkpoint) {
    store.put(key(modelId, CHECKPOINT), checkpoint.toBytes(), "application/zip");
    store.put(
        key(modelId, METADATA),
        checkpoint.metadata().toJson().getBytes(StandardCharsets.UTF_8),
        "application/json");
  }

  /** Saves a model's ONNX export under the name for its kind; returns the key. */
  public String saveOnnx(String modelId, ModelKind kind, ModelProto onnx) {
    String key = key(modelId, kind == ModelKind.ENCODER ? ENCODER_ONNX : CLASSIFIER_ONNX);
    store.put(key, onnx.toByteArray(), "application/octet-stream");
    return key;
  }

  /** Loads a checkpoint; fails naming the model when it is missing or corrupt. */
  public Checkpoint load(String modelId) {
    byte[] bytes =
        store
            .find(key(modelId, CHECKPOINT))
            .orElseThrow(() -> new IllegalArgumentException("no checkpoint for model " + modelId));
    try {
      return Checkpoint.fromBytes(bytes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("model " + modelId + ": " + e.getMessage(), e);
    }
  }

  /** Whether a checkpoint exists for the model. */
  public boolean exists(String modelId) {
    return store.exists(key(modelId, CHECKPOINT));
  }

  /** The object key of one of a model's files. */
  public static String key(String modelId, String file) {
    if (modelId == null || modelId.isBlank() || modelId.contains("/")) {
      throw new IllegalArgumentException("invalid model id '" + modelId + "'");
    }
    return StorageLayout.modelPrefix(modelId) + file;
  }
}
