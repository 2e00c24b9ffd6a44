package io.alfer.ml.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alfer.core.storage.ObjectStore;
import io.alfer.ml.TestImages;
import io.alfer.ml.TestModels;
import io.alfer.ml.data.Normalization;
import io.alfer.ml.data.PackedImages;
import io.alfer.ml.model.ClassifierModel;
import io.alfer.ml.model.EncoderModel;
import io.alfer.ml.model.EncoderSpec;
import io.alfer.ml.model.Predictions;
import io.alfer.ml.onnx.OnnxExporter;
import io.alfer.proto.onnx.ModelProto;
import io.alfer.testkit.S3ProxyServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Checkpoints and ONNX exports through a real S3 server (S3Proxy from the test kit). */
class S3ModelStoreTest {
  private static final PackedImages IMAGES = TestImages.banded(6, 16, 3, 9);

  private final ObjectStore s3 = S3ProxyServer.shared().objectStore();
  private final ModelStore store = ModelStore.on(s3);

  @Test
  void encoderCheckpointAndOnnxRoundTripThroughS3() throws Exception {
    float[][] before;
    byte[] onnx;
    try (EncoderModel model =
        EncoderModel.create(EncoderSpec.TINY, 16, 16, Normalization.SYMMETRIC, 3)) {
      TestModels.randomiseBatchNorm(model, 1);
      before = model.embed(IMAGES, 4);
      store.save(
          "s3-enc", Checkpoint.of(model, new Provenance("s3-set", 3, Map.of(), Map.of(), null)));
      String key = store.saveOnnx("s3-enc", ModelKind.ENCODER, OnnxExporter.encoder(model));
      assertThat(key).isEqualTo("models/s3-enc/encoder.onnx");
      onnx = s3.get(key);
    }
    assertThat(s3.exists("models/s3-enc/checkpoint.zip")).isTrue();
    assertThat(s3.exists("models/s3-enc/metadata.json")).isTrue();
    assertThat(ModelProto.parseFrom(onnx).getGraph().getOutput(0).getName())
        .isEqualTo(OnnxExporter.EMBEDDING);
    Checkpoint loaded = store.load("s3-enc");
    assertThat(loaded.metadata().provenance().dataset()).isEqualTo("s3-set");
    try (EncoderModel restored = loaded.toEncoder()) {
      assertThat(restored.embed(IMAGES, 4)).isDeepEqualTo(before);
    }
  }

  @Test
  void classifierCheckpointRoundTripsThroughS3BitForBit() {
    Predictions before;
    try (ClassifierModel model =
        ClassifierModel.fromScratch(
            EncoderSpec.TINY, 16, 16, Normalization.SYMMETRIC, 3, 0.5f, 4)) {
      TestModels.randomiseBatchNorm(model, 2);
      before = model.predict(IMAGES, 4);
      store.save(
          "s3-clf",
          Checkpoint.of(
              model,
              List.of("a", "b", "c"),
              new Provenance("s3-set", 4, Map.of(), Map.of("test_accuracy", 0.5), "s3-enc")));
    }
    Checkpoint loaded = store.load("s3-clf");
    assertThat(loaded.metadata().provenance().metrics()).containsEntry("test_accuracy", 0.5);
    try (ClassifierModel restored = loaded.toClassifier()) {
      Predictions after = restored.predict(IMAGES, 4);
      assertThat(after.logits()).isEqualTo(before.logits());
    }
  }

  @Test
  void corruptObjectsAndMissingModelsAreNamed() {
    s3.put("models/s3-bad/checkpoint.zip", new byte[] {1, 2, 3}, "application/zip");
    assertThatThrownBy(() -> store.load("s3-bad")).hasMessageContaining("model s3-bad");
    assertThatThrownBy(() -> store.load("s3-none")).hasMessageContaining("no checkpoint for model");
  }
}
