package io.alfer.ml.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.datasets.image.ImageNormalizer;
import io.alfer.datasets.synthetic.Sample;
import io.alfer.datasets.synthetic.SyntheticFer;
import io.alfer.ml.data.Normalization;
import io.alfer.ml.data.PackedImages;
import io.alfer.ml.model.ClassifierModel;
import io.alfer.ml.model.EncoderSpec;
import io.alfer.ml.train.TrainingHooks;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The defect this guards against: fine-tuning that runs without error but learns nothing from a few
 * hundred labels (it once stayed at the share of the largest class). The {@code cpu-fast} preset,
 * from scratch, on 200 synthetic faces at 32 px, must classify held-out faces far above the 25 % a
 * majority guess gets.
 */
class LearnsFromFewLabelsTest {
  private static final int SIDE = 32;

  @Test
  void cpuFastLearnsSyntheticFacesFromTwoHundredLabels() {
    PackedImages faces = faces(500, 11);
    PackedImages labelled = faces.select(range(0, 200));
    PackedImages heldOut = faces.select(range(200, 500));
    FineTuner tuner = new FineTuner(FineTuneConfig.cpuFast(3));
    try (ClassifierModel model =
        tuner.initialiseFromScratch(EncoderSpec.TINY, SIDE, SIDE, Normalization.of(labelled), 7)) {
      FineTuneResult fit = tuner.fit(model, labelled, TrainingHooks.NONE);
      Evaluation evaluation = Evaluator.evaluate(model, heldOut, 256);
      assertThat(fit.steps()).isEqualTo(tuner.config().minSteps());
      assertThat(majorityShare(heldOut)).isLessThan(0.3);
      assertThat(evaluation.top1())
          .as(
              "test accuracy after %d steps (train accuracy %.2f)",
              fit.steps(), fit.trainAccuracy())
          .isGreaterThan(0.7);
    }
  }

  /** {@code count} synthetic faces, resampled from 48 to 32 px as the experiment does. */
  static PackedImages faces(int count, long seed) {
    SyntheticFer generator = new SyntheticFer(seed);
    ImageNormalizer resize = new ImageNormalizer(SIDE, ImageNormalizer.DEFAULT_MAX_PIXELS);
    byte[] pixels = new byte[count * SIDE * SIDE];
    int[] labels = new int[count];
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Sample sample = generator.sample(i);
      byte[] small =
          resize
              .normalizeGrayPixels(sample.pixels(), SyntheticFer.SIZE, SyntheticFer.SIZE)
              .pixels();
      System.arraycopy(small, 0, pixels, i * SIDE * SIDE, SIDE * SIDE);
      labels[i] = sample.label();
      ids.add("face-" + i);
    }
    return new PackedImages(SIDE, SIDE, ids, labels, pixels);
  }

  private static double majorityShare(PackedImages images) {
    int[] counts = new int[7];
    for (int label : images.labels()) {
      counts[label]++;
    }
    int max = 0;
    for (int c : counts) {
      max = Math.max(max, c);
    }
    return (double) max / images.size();
  }

  private static int[] range(int from, int to) {
    return java.util.stream.IntStream.range(from, to).toArray();
  }
}
