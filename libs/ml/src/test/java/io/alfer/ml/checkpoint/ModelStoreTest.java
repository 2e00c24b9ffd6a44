package io.alfer.ml.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alfer.ml.TestImages;
import io.alfer.ml.TestModels;
import io.alfer.ml.data.Normalization;
import io.alfer.ml.data.PackedImages;
import io.alfer.ml.model.ClassifierModel;
import io.alfer.ml.model.EncoderModel;
import io.alfer.ml.model.EncoderSpec;
import io.alfer.ml.model.Predictions;
import io.alfer.ml.simclr.SimClrConfig;
import io.alfer.ml.store.LocalBlobStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
  private static final PackedImages IMAGES = TestImages.banded(6, 16, 3, 2);
  private static final Normalization NORM = new Normalization(0.4f, 0.3f);

  @TempDir Path directory;

  @Test
  void encoderRoundTripGivesBitIdenticalEmbeddingsAndKeepsMetadata() {
    ModelStore store = new ModelStore(new LocalBlobStore(directory));
    SimClrConfig config = SimClrConfig.defaults(EncoderSpec.TINY, 17);
    Provenance provenance =
        new Provenance(
            "fer2013", 17, ModelMetadata.describe(config), Map.of("final_loss", 4.2), null);
    float[][] before;
    try (EncoderModel model = EncoderModel.create(EncoderSpec.TINY, 16, 16, NORM, 5)) {
      TestModels.randomiseBatchNorm(model, 3);
      before = model.embed(IMAGES, 4);
      store.save("enc-1", Checkpoint.of(model, provenance));
    }
    assertThat(directory.resolve("models/enc-1/checkpoint.zip")).isRegularFile();
    assertThat(directory.resolve("models/enc-1/metadata.json")).isRegularFile();
    Checkpoint loaded = store.load("enc-1");
    ModelMetadata metadata = loaded.metadata();
    assertThat(metadata.kind()).isEqualTo(ModelKind.ENCODER);
    assertThat(metadata.architecture()).isEqualTo(EncoderSpec.TINY);
    assertThat(metadata.inputHeight()).isEqualTo(16);
    assertThat(metadata.normalization()).isEqualTo(NORM);
    assertThat(metadata.provenance().dataset()).isEqualTo("fer2013");
    assertThat(metadata.provenance().seed()).isEqualTo(17);
    assertThat(metadata.provenance().metrics()).containsEntry("final_loss", 4.2);
    assertThat(metadata.provenance().training()).containsEntry("temperature", 0.1);
    try (EncoderModel restored = loaded.toEncoder()) {
      float[][] after = restored.embed(IMAGES, 4);
      assertThat(after).isDeepEqualTo(before);
    }
  }

  @Test
  void classifierRoundTripGivesBitIdenticalOutputs() {
    ModelStore store = new ModelStore(new LocalBlobStore(directory));
    List<String> taxonomy = List.of("happy", "sad", "neutral");
    Predictions before;
    byte[] encoderBefore;
    try (ClassifierModel model =
        ClassifierModel.fromScratch(EncoderSpec.TINY, 16, 16, NORM, 3, 0.3f, 8)) {
      TestModels.randomiseBatchNorm(model, 4);
      before = model.predict(IMAGES, 4);
      encoderBefore = model.encoderParameterBytes();
      store.save(
          "clf-1",
          Checkpoint.of(model, taxonomy, new Provenance("raf-db", 8, Map.of(), Map.of(), "enc-1")));
    }
    Checkpoint loaded = store.load("clf-1");
    assertThat(loaded.metadata().taxonomy()).isEqualTo(taxonomy);
    assertThat(loaded.metadata().dropout()).isEqualTo(0.3f);
    assertThat(loaded.metadata().provenance().pretrainedFrom()).isEqualTo("enc-1");
    try (ClassifierModel restored = loaded.toClassifier();
        EncoderModel encoder = loaded.toEncoder()) {
      Predictions after = restored.predict(IMAGES, 4);
      assertThat(after.logits()).isEqualTo(before.logits());
      assertThat(after.embeddings()).isEqualTo(before.embeddings());
      assertThat(encoder.parameterBytes()).isEqualTo(encoderBefore);
    }
  }

  @Test
  void archivesAreDeterministicAndCorruptionIsDetected() {
    Checkpoint checkpoint;
    try (EncoderModel model = EncoderModel.create(EncoderSpec.TINY, 16, 16, NORM, 5)) {
      checkpoint = Checkpoint.of(model, new Provenance("d", 1, null, null, null));
    }
    byte[] bytes = checkpoint.toBytes();
    assertThat(checkpoint.toBytes()).isEqualTo(bytes);
    byte[] tampered = checkpoint.parameters().clone();
    tampered[tampered.length - 1] ^= 1;
    byte[] corrupt = new Checkpoint(checkpoint.metadata(), tampered).toBytes();
    assertThatThrownBy(() -> Checkpoint.fromBytes(corrupt)).hasMessageContaining("corrupt");
    assertThatThrownBy(() -> Checkpoint.fromBytes(new byte[] {1, 2, 3}))
        .hasMessageContaining("checkpoint archive");
    assertThatThrownBy(checkpoint::toClassifier).hasMessageContaining("holds an encoder");
  }

  @Test
  void missingModelAndBadIdsAreNamed() {
    ModelStore store = new ModelStore(new LocalBlobStore(directory));
    assertThat(store.exists("nope")).isFalse();
    assertThatThrownBy(() -> store.load("nope"))
        .hasMessageContaining("no checkpoint for model nope");
    assertThatThrownBy(() -> ModelStore.key("../x", "a")).hasMessageContaining("invalid model id");
    assertThatThrownBy(() -> new LocalBlobStore(directory).put("../escape", new byte[0], "x"))
        .hasMessageContaining("escapes");
  }
}
