package io.alfer.ml.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alfer.ml.TestImages;
import io.alfer.ml.TestModels;
import io.alfer.ml.data.PackedImages;
import org.junit.jupiter.api.Test;

class ClassifierModelTest {
  private static final PackedImages IMAGES = TestImages.banded(5, 16, 3, 4);

  @Test
  void mcDropoutSamplesVaryAroundTheInferenceLogitsAndTheSeedFixesThem() {
    try (ClassifierModel model =
        ClassifierModel.fromScratch(
            EncoderSpec.TINY, 16, 16, Normalization.SYMMETRIC, 3, 0.5f, 2)) {
      TestModels.randomiseBatchNorm(model, 1);
      float[][] samples = model.mcDropoutLogits(IMAGES, 400, 9, 4);
      assertThat(samples).hasNumberOfRows(400);
      assertThat(samples[0]).isNotEqualTo(samples[1]);
      assertThat(model.mcDropoutLogits(IMAGES, 2, 9, 4)[1]).isEqualTo(samples[1]);
      // Inverted dropout: the mean over masks approaches the deterministic logits.
      float[] logits = model.predict(IMAGES, 4).logits();
      double worst = 0;
      double scale = 0;
      for (int j = 0; j < logits.length; j++) {
        double mean = 0;
        for (float[] sample : samples) {
          mean += sample[j] / samples.length;
        }
        worst = Math.max(worst, Math.abs(mean - logits[j]));
        scale = Math.max(scale, Math.abs(logits[j]));
      }
      assertThat(worst).isLessThan(0.15 * scale + 0.05);
    }
  }

  @Test
  void classifierWithoutDropoutRefusesToSample() {
    try (ClassifierModel model =
        ClassifierModel.fromScratch(EncoderSpec.TINY, 16, 16, Normalization.SYMMETRIC, 3, 0f, 2)) {
      assertThatThrownBy(() -> model.mcDropoutLogits(IMAGES, 3, 1, 4))
          .hasMessageContaining("no dropout");
    }
  }
}
