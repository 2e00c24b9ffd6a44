package io.alfer.ml.deepfool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import io.alfer.ml.ReleasedMemory;
import io.alfer.ml.TestImages;
import io.alfer.ml.TestModels;
import io.alfer.ml.data.Normalization;
import io.alfer.ml.data.PackedImages;
import io.alfer.ml.finetune.FineTuneConfig;
import io.alfer.ml.finetune.FineTuner;
import io.alfer.ml.model.ClassifierModel;
import io.alfer.ml.model.EncoderSpec;
import io.alfer.ml.model.Predictions;
import io.alfer.ml.train.OptimizerConfig;
import io.alfer.ml.train.TrainingHooks;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DeepFool through a real classifier: the tiny preset, briefly fine-tuned. */
class DeepFoolTest {
  private static final int SIZE = 16;
  private static final PackedImages TRAIN = TestImages.banded(30, SIZE, 3, 21);
  private static final PackedImages POOL = TestImages.banded(12, SIZE, 3, 22);
  private static final DeepFoolConfig CONFIG = DeepFoolConfig.defaults().withBatchSize(5);

  private static ClassifierModel model;
  private static DeepFoolResult result;
  private static final List<DeepFoolProgress> PROGRESS = new ArrayList<>();

  @BeforeAll
  static void trainAndAttack() {
    FineTuneConfig config =
        FineTuneConfig.cpuFast(8)
            .withOptimizer(OptimizerConfig.adamW(3e-3, 1e-4, 0))
            .withBatchSize(10)
            .withLength(0, 3);
    FineTuner tuner = new FineTuner(config);
    model = tuner.initialiseFromScratch(EncoderSpec.TINY, SIZE, SIZE, Normalization.SYMMETRIC, 3);
    TestModels.randomiseBatchNorm(model, 3);
    tuner.fit(model, TRAIN, TrainingHooks.NONE);
    result =
        DeepFool.run(
            model,
            POOL,
            CONFIG,
            new DeepFoolHooks() {
              @Override
              public void onProgress(DeepFoolProgress progress) {
                PROGRESS.add(progress);
              }
            },
            true);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void flippedImagesAreClassifiedDifferentlyOnceTheOvershotPerturbationIsAdded() {
    Predictions before = model.predict(POOL, 8);
    int area = SIZE * SIZE;
    float scale = (float) (1 + CONFIG.overshoot());
    float[] perturbed = new float[POOL.size() * area];
    for (int i = 0; i < POOL.size(); i++) {
      assertThat(result.originalClasses()[i]).isEqualTo(before.predictedClass(i));
      for (int j = 0; j < area; j++) {
        float x = (POOL.pixels()[i * area + j] & 0xFF) / 255f;
        perturbed[i * area + j] =
            Math.min(1f, Math.max(0f, x + scale * result.perturbations()[i * area + j]));
      }
    }
    float[] after;
    try (NDManager scratch = model.manager().newSubManager()) {
      NDArray inputs = scratch.create(perturbed, new Shape(POOL.size(), 1, SIZE, SIZE));
      after =
          DeepFool.classifier(model)
              .logits(inputs)
              .argMax(1)
              .toType(DataType.FLOAT32, false)
              .toFloatArray();
    }
    assertThat(result.flippedCount()).isGreaterThan(POOL.size() / 2);
    for (int i = 0; i < POOL.size(); i++) {
      if (result.flipped()[i]) {
        assertThat((int) after[i]).as("image %d", i).isNotEqualTo(before.predictedClass(i));
        assertThat((int) after[i]).isEqualTo(result.finalClasses()[i]);
      }
      float size = result.sizes()[i];
      assertThat(Float.isFinite(size)).isTrue();
      assertThat(size).isPositive();
      double norm = 0;
      for (int j = 0; j < area; j++) {
        float r = result.perturbations()[i * area + j];
        norm += (double) r * r;
      }
      assertThat((double) size).isCloseTo(Math.sqrt(norm), within(1e-6));
    }
  }

  @Test
  void theSameImagesGiveTheSameSizes() {
    assertThat(DeepFool.perturbationSizes(model, POOL, CONFIG)).isEqualTo(result.sizes());
    // one image alone gets (up to float rounding) what it got in a batch
    float alone = DeepFool.perturbationSizes(model, POOL.select(new int[] {5}), CONFIG)[0];
    assertThat(alone).isCloseTo(result.sizes()[5], withinPercentage(0.1));
  }

  @Test
  void leavesNoGradientInTheParametersAndKeepsThemTrainable() {
    for (Pair<String, Parameter> p : model.network().getParameters()) {
      NDArray array = p.getValue().getArray();
      if (p.getValue().requiresGradient()) {
        assertThat(array.hasGradient()).as(p.getKey()).isTrue();
        assertThat(array.getGradient().abs().max().getFloat()).as(p.getKey()).isZero();
      }
    }
  }

  /**
   * DeepFool's backward passes read the normalisation's divisor: it must be memory the engine owns,
   * so that a garbage collection between the forward pass and the backward passes changes nothing.
   */
  @Test
  void inputGradientIsUnchangedByGarbageCollectionBetweenForwardAndBackward() {
    float[] undisturbed = inputGradient(false);
    assertThat(inputGradient(true)).containsExactly(undisturbed);
    double squares = 0;
    for (float g : undisturbed) {
      assertThat(g).isFinite();
      squares += (double) g * g;
    }
    assertThat(squares).isPositive();
  }

  private static float[] inputGradient(boolean collectBeforeBackward) {
    List<NDArray> frozen = DeepFool.freezeParameters(model);
    try (NDManager manager = model.manager().newSubManager()) {
      float[] pixels = new float[2 * SIZE * SIZE];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (POOL.pixels()[i] & 0xFF) / 255f;
      }
      NDArray input = manager.create(pixels, new Shape(2, 1, SIZE, SIZE));
      input.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray logits = DeepFool.classifier(model).logits(input);
        if (collectBeforeBackward) {
          ReleasedMemory.free();
        }
        collector.backward(logits.get(":, 0").sum());
      }
      return input.getGradient().toFloatArray();
    } finally {
      for (NDArray array : frozen) {
        array.setRequiresGradient(true);
      }
    }
  }

  @Test
  void reportsProgressUpToEveryImage() {
    assertThat(PROGRESS).isNotEmpty();
    DeepFoolProgress last = PROGRESS.get(PROGRESS.size() - 1);
    assertThat(last.done()).isEqualTo(POOL.size());
    assertThat(last.total()).isEqualTo(POOL.size());
    assertThat(last.flipped()).isEqualTo(result.flippedCount());
    assertThat(PROGRESS.get(0).done()).isZero();
    assertThat(PROGRESS.get(0).iterations()).isZero();
    assertThat(last.iterations()).isEqualTo(PROGRESS.size() - 1);
  }

  @Test
  void refusesImagesOfAnotherSize() {
    assertThatThrownBy(
            () -> DeepFool.perturbationSizes(model, TestImages.banded(2, 20, 3, 1), CONFIG))
        .hasMessageContaining("16×16");
  }
}
