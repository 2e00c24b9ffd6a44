package io.alfer.embed.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.alfer.datasets.image.ImageNormalizer;
import io.alfer.datasets.synthetic.Sample;
import io.alfer.datasets.synthetic.SyntheticFer;
import io.alfer.embed.config.Device;
import io.alfer.ml.data.Normalization;
import io.alfer.ml.data.PackedImages;
import io.alfer.ml.model.ClassifierModel;
import io.alfer.ml.model.EncoderModel;
import io.alfer.ml.model.EncoderSpec;
import io.alfer.ml.model.Predictions;
import io.alfer.ml.onnx.OnnxExporter;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime sessions against the DJL models they were exported from. A Quarkus test only so that
 * it shares the application's class loader (and the test resources of {@code EmbedServiceTest}, so
 * the application is not restarted): PyTorch's native library, which the DJL reference needs, can
 * be loaded by one class loader per JVM.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class InferenceRuntimeTest {
  private static final int N = 10;

  @Test
  void cudaFallsBackToTheCpuWhenThisBuildHasNone() {
    InferenceRuntime cuda = new InferenceRuntime(Device.CUDA, 0, 0, true);
    assertThat(cuda.provider()).isEqualTo("cpu");
    assertThat(cuda.fallbackReason()).isNotBlank();
    InferenceRuntime auto = new InferenceRuntime(Device.AUTO, 0, 0, true);
    assertThat(auto.provider()).isEqualTo("cpu");
    InferenceRuntime cpu = new InferenceRuntime(Device.CPU, 0, 0, true);
    assertThat(cpu.provider()).isEqualTo("cpu");
    assertThat(cpu.fallbackReason()).isEmpty();
  }

  @Test
  void encoderOutputsMatchDjlOnTheSamePixels() {
    PackedImages images = faces();
    try (EncoderModel djl =
        EncoderModel.create(EncoderSpec.TINY, 48, 48, new Normalization(0.45f, 0.25f), 3)) {
      float[][] expected = djl.embed(images, 4);
      InferenceRuntime runtime = new InferenceRuntime(Device.CUDA, 0, 1, true);
      try (ModelSession session =
          runtime.open("enc", OnnxExporter.encoder(djl).toByteArray(), false)) {
        assertThat(session.embeddingDim()).isEqualTo(64);
        assertThat(session.classes()).isZero();
        assertThat(session.height()).isEqualTo(48);
        BatchOutput out = session.run(images.pixels(), N);
        assertThat(out.probabilities()).isEmpty();
        for (int i = 0; i < N; i++) {
          float[] row = Arrays.copyOfRange(out.embeddings(), i * 64, (i + 1) * 64);
          for (int k = 0; k < 64; k++) {
            assertThat(row[k]).as("image %d dim %d", i, k).isCloseTo(expected[i][k], within(1e-4f));
          }
        }
      }
    }
  }

  @Test
  void classifierProbabilitiesAreTheSoftmaxOfDjlLogits() {
    PackedImages images = faces();
    try (ClassifierModel djl =
        ClassifierModel.fromScratch(
            EncoderSpec.TINY, 48, 48, Normalization.SYMMETRIC, 7, 0.1f, 5)) {
      Predictions expected = djl.predict(images, 4);
      try (ModelSession session =
          new InferenceRuntime(Device.CPU, 0, 1, true)
              .open("cls", OnnxExporter.classifier(djl).toByteArray(), true)) {
        assertThat(session.classes()).isEqualTo(7);
        BatchOutput out = session.run(images.pixels(), N);
        for (int i = 0; i < N; i++) {
          double[] p = expected.probabilities(i);
          double sum = 0;
          for (int k = 0; k < 7; k++) {
            assertThat((double) out.probabilities()[i * 7 + k]).isCloseTo(p[k], within(1e-4));
            sum += out.probabilities()[i * 7 + k];
          }
          assertThat(sum).isCloseTo(1.0, within(1e-5));
          assertThat(out.embeddings()[i * 64])
              .isCloseTo(expected.embeddings()[i * 64], within(1e-4f));
        }
      }
    }
  }

  @Test
  void unusableModelsAreRefusedWithTheReason() {
    InferenceRuntime runtime = new InferenceRuntime(Device.CPU, 0, 1, true);
    assertThatThrownBy(() -> runtime.open("junk", "not onnx".getBytes(), false))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("model junk");
    try (EncoderModel djl =
        EncoderModel.create(EncoderSpec.TINY, 48, 48, Normalization.SYMMETRIC, 1)) {
      byte[] encoder = OnnxExporter.encoder(djl).toByteArray();
      assertThatThrownBy(() -> runtime.open("enc-as-cls", encoder, true))
          .isInstanceOf(InvalidModelException.class)
          .hasMessageContaining("'logits'");
    }
  }

  @Test
  void aClosedSessionRefusesWork() {
    try (EncoderModel djl =
        EncoderModel.create(EncoderSpec.TINY, 48, 48, Normalization.SYMMETRIC, 1)) {
      ModelSession session =
          new InferenceRuntime(Device.CPU, 0, 1, true)
              .open("m", OnnxExporter.encoder(djl).toByteArray(), false);
      session.close();
      session.close(); // idempotent
      assertThat(session.isClosed()).isTrue();
      assertThatThrownBy(() -> session.run(new byte[48 * 48], 1))
          .isInstanceOf(ModelClosedException.class);
    }
  }

  @Test
  void softmaxIsStableForLargeLogits() {
    float[] p = ModelSession.softmax(new float[] {1000f, 1000f, -1000f, 0f, 0f, 0f}, 3);
    assertThat(p).containsExactly(0.5f, 0.5f, 0f, 1 / 3f, 1 / 3f, 1 / 3f);
  }

  private static PackedImages faces() {
    ImageNormalizer normalizer = new ImageNormalizer();
    byte[] pixels = new byte[N * 48 * 48];
    List<String> ids = new ArrayList<>();
    Iterator<Sample> samples = new SyntheticFer(11).samples(N);
    for (int i = 0; i < N; i++) {
      Sample s = samples.next();
      byte[] px = normalizer.normalizeGrayPixels(s.pixels(), 48, 48).pixels();
      System.arraycopy(px, 0, pixels, i * 48 * 48, 48 * 48);
      ids.add("f" + i);
    }
    int[] labels = new int[N];
    Arrays.fill(labels, PackedImages.UNLABELLED);
    return new PackedImages(48, 48, ids, labels, pixels);
  }
}
