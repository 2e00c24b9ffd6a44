package io.alfer.ml.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.util.Pair;
import io.alfer.ml.TestImages;
import io.alfer.ml.data.Normalization;
import io.alfer.ml.data.PackedImages;
import io.alfer.ml.model.ClassifierModel;
import io.alfer.ml.model.EncoderModel;
import io.alfer.ml.model.EncoderSpec;
import io.alfer.ml.simclr.SimClrConfig;
import io.alfer.ml.simclr.SimClrResult;
import io.alfer.ml.simclr.SimClrTrainer;
import io.alfer.ml.train.OptimizerConfig;
import io.alfer.ml.train.TrainingHooks;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FineTunerTest {
  private static final PackedImages DATA = TestImages.banded(90, 16, 3, 5);
  private static final PackedImages TRAIN = DATA.select(range(0, 60));
  private static final PackedImages TEST = DATA.select(range(60, 90));

  /** The paper's public code resets the encoder before fine-tuning; alfer must not. */
  @Test
  void pretrainedWeightsReachFineTuning() {
    byte[] checkpoint;
    try (SimClrResult pretrained =
        new SimClrTrainer(SimClrConfig.defaults(EncoderSpec.TINY, 9).withBatchSize(8).withEpochs(1))
            .train(TRAIN.select(range(0, 16)), TrainingHooks.NONE)) {
      checkpoint = pretrained.encoder().parameterBytes();
    }
    FineTuneConfig frozen =
        FineTuneConfig.cpuFast(4)
            .withOptimizer(OptimizerConfig.sgd(0, 0, 0))
            .withBatchSize(10)
            .withLength(0, 1);
    FineTuner tuner = new FineTuner(frozen);
    try (EncoderModel encoder =
            EncoderModel.fromParameters(
                EncoderSpec.TINY, 16, 16, Normalization.SYMMETRIC, checkpoint);
        ClassifierModel classifier = tuner.initialise(encoder, 3);
        ClassifierModel scratch =
            tuner.initialiseFromScratch(EncoderSpec.TINY, 16, 16, Normalization.SYMMETRIC, 3)) {
      ParameterList pretrainedParameters = encoder.network().getParameters();
      // At the start of fine-tuning every encoder parameter equals the checkpoint's...
      assertSameValues(
          pretrainedParameters, classifier.network().encoder().getParameters(), p -> true);
      // ...and a classifier from scratch really is different (the comparison can fail).
      String stemWeight = pretrainedParameters.keys().get(0);
      assertThat(values(scratch.network().encoder().getParameters(), stemWeight))
          .isNotEqualTo(values(pretrainedParameters, stemWeight));
      // The training loop itself must not re-initialise: with a zero learning rate every
      // trainable encoder weight is still the checkpoint's after a full epoch.
      FineTuneResult result = tuner.fit(classifier, TRAIN, TrainingHooks.NONE);
      assertThat(result.epochsRun()).isEqualTo(1);
      assertSameValues(
          pretrainedParameters,
          classifier.network().encoder().getParameters(),
          Parameter::requiresGradient);
    }
  }

  @Test
  void learnsTheTaskStopsAtTheAccuracyThresholdAndEvaluates() {
    FineTuneConfig config =
        FineTuneConfig.cpuFast(8)
            .withOptimizer(OptimizerConfig.adamW(3e-3, 1e-4, 0))
            .withBatchSize(10)
            .withLength(0, 25)
            .withDropout(0.2f)
            .withSchedule(0, 0.95);
    FineTuner tuner = new FineTuner(config);
    try (ClassifierModel model =
        tuner.initialiseFromScratch(EncoderSpec.TINY, 16, 16, Normalization.SYMMETRIC, 3)) {
      FineTuneResult result = tuner.fit(model, TRAIN, TrainingHooks.NONE);
      assertThat(result.trainAccuracy()).isGreaterThanOrEqualTo(0.95);
      assertThat(result.epochsRun()).isLessThan(25).isEqualTo(result.epochLosses().length);
      Evaluation evaluation = Evaluator.evaluate(model, TEST, 16);
      assertThat(evaluation.top1()).isGreaterThanOrEqualTo(0.8);
      assertThat(evaluation.perClassCount()).containsExactly(10, 10, 10);
      assertThat(evaluation.perClassAccuracy()).hasSize(3);
      assertThat(evaluation.meanPerClassAccuracy()).isCloseTo(evaluation.top1(), within(1e-9));
    }
  }

  @Test
  void sameSeedSameClassifier() {
    FineTuneConfig config = FineTuneConfig.cpuFast(12).withBatchSize(16).withMaxEpochs(2);
    assertThat(config.steps(4)).isEqualTo(8);
    byte[][] runs = new byte[2][];
    for (int r = 0; r < 2; r++) {
      FineTuner tuner = new FineTuner(config);
      try (ClassifierModel model =
          tuner.initialiseFromScratch(EncoderSpec.TINY, 16, 16, Normalization.SYMMETRIC, 3)) {
        tuner.fit(model, TRAIN, TrainingHooks.NONE);
        runs[r] = model.parameterBytes();
      }
    }
    assertThat(runs[1]).isEqualTo(runs[0]);
  }

  @Test
  void rejectsLabelsOutsideTheTaxonomyAndWrongImageSize() {
    FineTuner tuner = new FineTuner(FineTuneConfig.paper(1));
    try (ClassifierModel model =
        tuner.initialiseFromScratch(EncoderSpec.TINY, 16, 16, Normalization.SYMMETRIC, 2)) {
      assertThatThrownBy(() -> tuner.fit(model, TRAIN, TrainingHooks.NONE))
          .hasMessageContaining("has label 2, expected 0..1");
      PackedImages bigger = TestImages.banded(4, 24, 2, 1);
      assertThatThrownBy(() -> tuner.fit(model, bigger, TrainingHooks.NONE))
          .hasMessageContaining("expects 16×16 images, got 24×24");
    }
  }

  @Test
  void paperPresetHasThePublishedHyperparameters() {
    FineTuneConfig paper = FineTuneConfig.paper(3);
    assertThat(paper.optimizer().kind()).isEqualTo(OptimizerConfig.Kind.SGD);
    assertThat(paper.optimizer().learningRate()).isEqualTo(0.01);
    assertThat(paper.optimizer().momentum()).isEqualTo(0.9);
    assertThat(paper.optimizer().weightDecay()).isEqualTo(5e-4);
    assertThat(paper.optimizer().schedule()).isEqualTo(OptimizerConfig.Schedule.COSINE);
    assertThat(paper.batchSize()).isEqualTo(20);
    assertThat(paper.epochs()).isEqualTo(200);
    assertThat(paper.stopAtTrainAccuracy()).isEqualTo(0.999);
  }

  /**
   * A few hundred labels make few batches per epoch; the length in steps must not shrink with them.
   * The cap a caller sets in epochs still bounds it.
   */
  @Test
  void trainsForTheStepFloorWhateverTheLabelledSetsSize() {
    FineTuneConfig config =
        FineTuneConfig.cpuFast(2).withBatchSize(16).withLength(20, 3).withDropout(0.1f);
    assertThat(config.steps(4)).isEqualTo(20); // 3 epochs of 4 batches are fewer than the floor
    assertThat(config.steps(10)).isEqualTo(30); // 3 epochs of 10 batches are more
    assertThat(config.withMaxEpochs(2).steps(4)).isEqualTo(8); // the caller's cap wins
    FineTuner tuner = new FineTuner(config);
    PackedImages twenty = TRAIN.select(range(0, 20)); // 16 + 4: two batches per epoch
    assertThat(tuner.batchesPerEpoch(20)).isEqualTo(2);
    assertThat(tuner.batchesPerEpoch(17)).isEqualTo(1); // a last batch of one is skipped
    assertThat(tuner.batchesPerEpoch(5)).isEqualTo(1); // a set smaller than a batch is one batch
    try (ClassifierModel model =
        tuner.initialiseFromScratch(EncoderSpec.TINY, 16, 16, Normalization.of(TRAIN), 3)) {
      FineTuneResult result = tuner.fit(model, twenty, TrainingHooks.NONE);
      assertThat(result.steps()).isEqualTo(20);
      assertThat(result.epochsRun()).isEqualTo(10).isEqualTo(result.epochLosses().length);
    }
  }

  /**
   * LP-FT: while only the head learns the encoder keeps its pre-trained weights (and gathers no
   * momentum), then it learns too; a zero encoder rate keeps it frozen throughout.
   */
  @Test
  void aPretrainedEncoderWaitsForTheHeadThenLearnsAtItsOwnRate() {
    byte[] checkpoint;
    try (EncoderModel encoder =
        EncoderModel.create(EncoderSpec.TINY, 16, 16, Normalization.of(TRAIN), 3)) {
      checkpoint = encoder.parameterBytes();
    }
    FineTuneConfig base = FineTuneConfig.cpuFast(5).withBatchSize(20).withLength(0, 2);
    try (EncoderModel encoder =
        EncoderModel.fromParameters(
            EncoderSpec.TINY, 16, 16, Normalization.of(TRAIN), checkpoint)) {
      ParameterList pretrained = encoder.network().getParameters();
      // 3 batches × 2 epochs = 6 steps, all head-only (0.99 · 6 rounds to 6)
      FineTuner headOnly =
          new FineTuner(base.withPretrained(new FineTuneConfig.PretrainedTuning(0.99, 0.5)));
      try (ClassifierModel classifier = headOnly.initialise(encoder, 3)) {
        float[] headBefore = classifier.headWeights();
        assertThat(classifier.hasPretrainedEncoder()).isTrue();
        headOnly.fit(classifier, TRAIN, TrainingHooks.NONE);
        assertSameValues(
            pretrained,
            classifier.network().encoder().getParameters(),
            Parameter::requiresGradient);
        assertThat(classifier.headWeights()).isNotEqualTo(headBefore);
      }
      FineTuner frozen =
          new FineTuner(base.withPretrained(new FineTuneConfig.PretrainedTuning(0, 0)));
      try (ClassifierModel classifier = frozen.initialise(encoder, 3)) {
        frozen.fit(classifier, TRAIN, TrainingHooks.NONE);
        assertSameValues(
            pretrained,
            classifier.network().encoder().getParameters(),
            Parameter::requiresGradient);
      }
      FineTuner lpft =
          new FineTuner(base.withPretrained(new FineTuneConfig.PretrainedTuning(0.5, 0.5)));
      try (ClassifierModel classifier = lpft.initialise(encoder, 3)) {
        lpft.fit(classifier, TRAIN, TrainingHooks.NONE);
        String stem = pretrained.keys().get(0);
        assertThat(values(classifier.network().encoder().getParameters(), stem))
            .isNotEqualTo(values(pretrained, stem));
      }
    }
  }

  @Test
  void classWeightsBalanceTheClassesAndKeepTheLossScale() {
    int[] labels = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2}; // 8, 2, 2 images; class 3 has none
    float[] none = ClassWeighting.NONE.weights(labels, 4);
    float[] full = ClassWeighting.INVERSE_FREQUENCY.weights(labels, 4);
    float[] sqrt = ClassWeighting.INVERSE_SQRT_FREQUENCY.weights(labels, 4);
    assertThat(none).containsExactly(1f, 1f, 1f, 0f);
    // every present class weighs the same in total: 8·w0 = 2·w1 = 2·w2
    assertThat(8 * full[0]).isCloseTo(2 * full[1], within(1e-5f));
    assertThat(full[3]).isZero();
    assertThat(sqrt[1] / sqrt[0]).isCloseTo(2f, within(1e-5f)); // √(8/2)
    for (float[] w : new float[][] {none, full, sqrt}) {
      double mean = 0;
      for (int label : labels) {
        mean += w[label];
      }
      assertThat(mean / labels.length).isCloseTo(1.0, within(1e-6));
    }
  }

  private static void assertSameValues(
      ParameterList expected, ParameterList actual, Predicate<Parameter> which) {
    assertThat(actual.keys()).isEqualTo(expected.keys());
    int compared = 0;
    for (Pair<String, Parameter> p : expected) {
      if (which.test(p.getValue())) {
        assertThat(values(actual, p.getKey()))
            .as(p.getKey())
            .isEqualTo(values(expected, p.getKey()));
        compared++;
      }
    }
    assertThat(compared).isGreaterThan(10);
  }

  private static float[] values(ParameterList parameters, String key) {
    return parameters.get(key).getArray().toFloatArray();
  }

  private static int[] range(int from, int to) {
    return IntStream.range(from, to).toArray();
  }
}
