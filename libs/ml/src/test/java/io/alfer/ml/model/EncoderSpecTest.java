package io.alfer.ml.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.alfer.ml.data.Normalization;
import org.junit.jupiter.api.Test;

class EncoderSpecTest {
  @Test
  void resnet18IsThePapersCifarStyleNetwork() {
    EncoderSpec spec = EncoderSpec.preset("resnet18");
    assertThat(spec.embeddingSize()).isEqualTo(512);
    try (EncoderModel model = EncoderModel.create(spec, 16, 16, Normalization.SYMMETRIC, 1)) {
      EncoderNetwork network = model.network();
      assertThat(network.stem().kernel()).isEqualTo(3);
      assertThat(network.stem().stride()).isEqualTo(1);
      assertThat(network.residualBlocks()).hasSize(8);
      long weights = 0;
      for (Pair<String, Parameter> p : network.getParameters()) {
        if (p.getValue().requiresGradient()) {
          weights += p.getValue().getArray().size();
        }
      }
      // CIFAR ResNet-18 with one input channel: 11.17 million trainable parameters.
      assertThat(weights).isBetween(11_150_000L, 11_200_000L);
    }
  }

  @Test
  void smallPresetHasThreeStagesAndA128dEmbeddingAtAnyInputSize() {
    EncoderSpec small = EncoderSpec.preset("small");
    assertThat(small.stageChannels()).containsExactly(32, 64, 128);
    try (EncoderModel model = EncoderModel.create(small, 24, 24, Normalization.SYMMETRIC, 1)) {
      NDArray input = model.manager().ones(new Shape(2, 1, 24, 24));
      assertThat(model.infer(input).singletonOrThrow().getShape()).isEqualTo(new Shape(2, 128));
      assertThatThrownBy(() -> model.infer(model.manager().ones(new Shape(2, 3, 24, 24))))
          .hasMessageContaining("expects input (N, 1, 24, 24)");
    }
  }

  @Test
  void seedFixesInitialisation() {
    try (EncoderModel a =
            EncoderModel.create(EncoderSpec.TINY, 16, 16, Normalization.SYMMETRIC, 7);
        EncoderModel b = EncoderModel.create(EncoderSpec.TINY, 16, 16, Normalization.SYMMETRIC, 7);
        EncoderModel c =
            EncoderModel.create(EncoderSpec.TINY, 16, 16, Normalization.SYMMETRIC, 8)) {
      assertThat(a.parameterBytes()).isEqualTo(b.parameterBytes());
      assertThat(a.parameterBytes()).isNotEqualTo(c.parameterBytes());
    }
  }

  @Test
  void rejectsUnknownPresetsAndInconsistentSpecs() {
    assertThatThrownBy(() -> EncoderSpec.preset("vgg"))
        .hasMessageContaining("unknown encoder preset 'vgg'");
    assertThatThrownBy(() -> new EncoderSpec("x", 8, new int[] {8, 16}, new int[] {1}))
        .hasMessageContaining("blocksPerStage");
    assertThatThrownBy(() -> new ClassifierNetwork(EncoderSpec.TINY, 1, 0.5f))
        .hasMessageContaining("at least 2 classes");
  }
}
