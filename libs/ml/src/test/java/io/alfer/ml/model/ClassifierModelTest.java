package io.alfer.ml.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.alfer.ml.TestImages;
import io.alfer.ml.TestModels;
import io.alfer.ml.data.Normalization;
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
  void theHeadMapsEmbeddingsToThePredictedProbabilities() {
    try (ClassifierModel model =
        ClassifierModel.fromScratch(
            EncoderSpec.TINY, 16, 16, Normalization.SYMMETRIC, 3, 0.5f, 7)) {
      TestModels.randomiseBatchNorm(model, 2);
      float[] w = model.headWeights();
      float[] b = model.headBias();
      int d = EncoderSpec.TINY.embeddingSize();
      assertThat(w).hasSize(3 * d);
      assertThat(b).hasSize(3);
      Predictions predictions = model.predict(IMAGES, 2);
      for (int i = 0; i < IMAGES.size(); i++) {
        double[] logits = new double[3];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < 3; k++) {
          logits[k] = b[k];
          for (int j = 0; j < d; j++) {
            logits[k] += (double) w[k * d + j] * predictions.embeddings()[i * d + j];
          }
          max = Math.max(max, logits[k]);
        }
        double sum = 0;
        for (int k = 0; k < 3; k++) {
          sum += Math.exp(logits[k] - max);
        }
        double[] expected = predictions.probabilities(i);
        for (int k = 0; k < 3; k++) {
          assertThat(Math.exp(logits[k] - max) / sum).isCloseTo(expected[k], within(1e-5));
        }
      }
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
