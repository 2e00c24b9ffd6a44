package io.alfer.ml.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alfer.ml.data.Normalization;
import io.alfer.ml.finetune.FineTuneConfig;
import io.alfer.ml.model.EncoderSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metadata's JSON, including metadata already stored next to checkpoints. */
class ModelMetadataTest {
  private static final String SHA =
      "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

  /**
   * A classifier's metadata as the earlier Gson-based code wrote it: pretty-printed, no null
   * fields, special doubles bare, HTML characters escaped, and every number of the training tree a
   * double (Gson read the configuration back as doubles: ints as {@code 30.0}, floats widened).
   */
  private static final String STORED_CLASSIFIER =
      """
      {
        "formatVersion": 1,
        "kind": "CLASSIFIER",
        "architecture": {
          "name": "tiny",
          "stemChannels": 16,
          "stageChannels": [
            16,
            32,
            64
          ],
          "blocksPerStage": [
            1,
            1,
            1
          ]
        },
        "inputHeight": 48,
        "inputWidth": 40,
        "normalization": {
          "mean": 0.50745934,
          "std": 0.25514415
        },
        "taxonomy": [
          "angry",
          "happy",
          "neutral"
        ],
        "dropout": 0.3,
        "provenance": {
          "dataset": "fer2013",
          "seed": 1234567890123,
          "training": {
            "optimizer": {
              "kind": "ADAMW",
              "learningRate": 0.001,
              "warmupEpochs": 2.0
            },
            "epochs": 30.0,
            "dropout": 0.30000001192092896,
            "classWeighting": "INVERSE_SQRT_FREQUENCY",
            "campaign_id": "camp\\u003d1",
            "round": 2
          },
          "metrics": {
            "test_accuracy": 0.6125,
            "final_loss": NaN,
            "best_loss": Infinity,
            "epochs": 30.0
          },
          "pretrainedFrom": "simclr-fer2013-s3"
        },
        "parametersSha256": "%s"
      }"""
          .formatted(SHA);

  /** An encoder's metadata as the Gson-based code wrote it: no {@code pretrainedFrom}. */
  private static final String STORED_ENCODER =
      """
      {
        "formatVersion": 1,
        "kind": "ENCODER",
        "architecture": {
          "name": "small",
          "stemChannels": 32,
          "stageChannels": [
            32,
            64,
            128
          ],
          "blocksPerStage": [
            1,
            1,
            1
          ]
        },
        "inputHeight": 32,
        "inputWidth": 32,
        "normalization": {
          "mean": 0.5,
          "std": 0.5
        },
        "taxonomy": [],
        "dropout": 0.0,
        "provenance": {
          "dataset": "pool",
          "seed": 7,
          "training": {},
          "metrics": {
            "final_loss": 4.2
          }
        },
        "parametersSha256": "%s"
      }"""
          .formatted(SHA);

  @Test
  void readsAClassifiersMetadataAlreadyStored() {
    ModelMetadata m = ModelMetadata.fromJson(STORED_CLASSIFIER);
    assertThat(m.formatVersion()).isEqualTo(ModelMetadata.FORMAT_VERSION);
    assertThat(m.kind()).isEqualTo(ModelKind.CLASSIFIER);
    assertThat(m.architecture()).isEqualTo(EncoderSpec.TINY);
    assertThat(m.inputHeight()).isEqualTo(48);
    assertThat(m.inputWidth()).isEqualTo(40);
    assertThat(m.normalization()).isEqualTo(new Normalization(0.50745934f, 0.25514415f));
    assertThat(m.taxonomy()).containsExactly("angry", "happy", "neutral");
    assertThat(m.dropout()).isEqualTo(0.3f);
    assertThat(m.parametersSha256()).isEqualTo(SHA);
    Provenance p = m.provenance();
    assertThat(p.dataset()).isEqualTo("fer2013");
    assertThat(p.seed()).isEqualTo(1234567890123L);
    assertThat(p.pretrainedFrom()).isEqualTo("simclr-fer2013-s3");
    assertThat(p.metrics())
        .containsEntry("test_accuracy", 0.6125)
        .containsEntry("final_loss", Double.NaN)
        .containsEntry("best_loss", Double.POSITIVE_INFINITY)
        .containsEntry("epochs", 30.0);
    assertThat(p.training())
        .containsEntry("epochs", 30.0)
        .containsEntry("dropout", 0.30000001192092896)
        .containsEntry("classWeighting", "INVERSE_SQRT_FREQUENCY")
        .containsEntry("campaign_id", "camp=1")
        .containsEntry(
            "optimizer", Map.of("kind", "ADAMW", "learningRate", 0.001, "warmupEpochs", 2.0));
    assertThat(((Number) p.training().get("round")).intValue()).isEqualTo(2);
  }

  @Test
  void readsAnEncodersMetadataAlreadyStored() {
    ModelMetadata m = ModelMetadata.fromJson(STORED_ENCODER);
    assertThat(m.kind()).isEqualTo(ModelKind.ENCODER);
    assertThat(m.architecture()).isEqualTo(EncoderSpec.SMALL);
    assertThat(m.normalization()).isEqualTo(Normalization.SYMMETRIC);
    assertThat(m.taxonomy()).isEmpty();
    assertThat(m.dropout()).isZero();
    assertThat(m.provenance().training()).isEmpty();
    assertThat(m.provenance().metrics()).isEqualTo(Map.of("final_loss", 4.2));
    assertThat(m.provenance().pretrainedFrom()).isNull();
  }

  @Test
  void roundTripsAndLeavesNullFieldsOutAsBefore() {
    Map<String, Object> training = new HashMap<>(ModelMetadata.describe(config()));
    training.put("round", 2);
    Map<String, Double> metrics = Map.of("final_loss", Double.NaN, "test_accuracy", 0.5);
    ModelMetadata metadata =
        new ModelMetadata(
            ModelMetadata.FORMAT_VERSION,
            ModelKind.CLASSIFIER,
            EncoderSpec.TINY,
            48,
            48,
            new Normalization(0.4f, 0.2f),
            List.of("a", "b"),
            0.25f,
            new Provenance("fer2013", 5, training, metrics, null),
            SHA);
    String json = metadata.toJson();
    assertThat(ModelMetadata.fromJson(json)).isEqualTo(metadata);
    assertThat(ModelMetadata.fromJson(ModelMetadata.fromJson(STORED_CLASSIFIER).toJson()))
        .isEqualTo(ModelMetadata.fromJson(STORED_CLASSIFIER));
    assertThat(json)
        .startsWith("{\n  \"formatVersion\"")
        .contains("NaN")
        .doesNotContain("\"NaN\"")
        .doesNotContain("pretrainedFrom")
        .doesNotContain("null");
    assertThat(
            ModelMetadata.fromJson(metadata.withParametersSha256(null).toJson()).parametersSha256())
        .isNull();
  }

  @Test
  void describeGivesTheConfigurationAsItReadsBack() {
    FineTuneConfig config = config();
    Map<String, Object> tree = ModelMetadata.describe(config);
    assertThat(tree)
        .containsEntry("epochs", config.epochs())
        .containsEntry("batchSize", config.batchSize())
        .containsEntry("warmupFraction", config.warmupFraction())
        .containsEntry("dropout", Double.parseDouble(Float.toString(config.dropout())))
        .containsEntry("classWeighting", config.classWeighting().name())
        .containsKeys("optimizer", "augmentation", "pretrained");
    assertThat(((Number) tree.get("seed")).longValue()).isEqualTo(config.seed());
    @SuppressWarnings("unchecked")
    Map<String, Object> optimizer = (Map<String, Object>) tree.get("optimizer");
    assertThat(optimizer)
        .containsEntry("kind", config.optimizer().kind().name())
        .containsEntry("learningRate", config.optimizer().learningRate());
    Provenance provenance = new Provenance("d", 1, tree, Map.of(), null);
    ModelMetadata stored =
        ModelMetadata.fromJson(
            new ModelMetadata(
                    ModelMetadata.FORMAT_VERSION,
                    ModelKind.ENCODER,
                    EncoderSpec.TINY,
                    8,
                    8,
                    Normalization.SYMMETRIC,
                    List.of(),
                    0f,
                    provenance,
                    SHA)
                .toJson());
    assertThat(stored.provenance().training()).isEqualTo(tree);
  }

  @Test
  void badContentFailsClearly() {
    assertThatThrownBy(() -> ModelMetadata.fromJson(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("empty model metadata");
    assertThatThrownBy(() -> ModelMetadata.fromJson("not json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unreadable model metadata: ");
    assertThatThrownBy(
            () -> ModelMetadata.fromJson(STORED_ENCODER.replace("\"ENCODER\"", "\"DECODER\"")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unreadable model metadata: ")
        .hasMessageContaining("DECODER")
        .hasMessageContaining("kind");
    assertThatThrownBy(
            () -> ModelMetadata.fromJson(STORED_ENCODER.replace("\"ENCODER\"", "\"CLASSIFIER\"")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unreadable model metadata: ")
        .hasMessageContaining("a classifier's metadata needs its class names");
    assertThatThrownBy(
            () ->
                ModelMetadata.fromJson(
                    STORED_CLASSIFIER.replace("\"formatVersion\": 1", "\"formatVersion\": 2")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unsupported checkpoint format version 2");
  }

  private static FineTuneConfig config() {
    return FineTuneConfig.preset(FineTuneConfig.PRESETS.get(0), 11);
  }
}
