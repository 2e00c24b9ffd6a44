package io.alfer.ml.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.alfer.ml.data.Augmenter;
import io.alfer.ml.data.Batches;
import io.alfer.ml.data.Normalization;
import io.alfer.ml.data.PackedImages;
import io.alfer.ml.data.Seeds;
import io.alfer.ml.model.ClassifierModel;
import io.alfer.ml.model.EncoderModel;
import io.alfer.ml.model.EncoderSpec;
import io.alfer.ml.train.LearningRateSchedule;
import io.alfer.ml.train.ParameterUpdater;
import io.alfer.ml.train.ProgressMeter;
import io.alfer.ml.train.Steps;
import io.alfer.ml.train.TrainingHooks;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Trains a round's classifier on the labelled set with (class-weighted) softmax cross-entropy, for
 * the number of optimiser steps the configuration gives for the set's size (a floor that does not
 * shrink with it), under a warm-up then cosine schedule. A pre-trained encoder is fine-tuned the
 * LP-FT way: the head alone first, then everything with the encoder at a lower rate. Hooks get
 * progress and may cancel; a round is short, so it writes no epoch checkpoints and a crashed round
 * is simply rerun. One run at a time per JVM.
 */
public final class FineTuner {
  private static final long HEAD_STREAM = 1;
  private static final long DROPOUT_STREAM = 2;

  private final FineTuneConfig config;

  public FineTuner(FineTuneConfig config) {
    this.config = config;
  }

  public FineTuneConfig config() {
    return config;
  }

  /** A classifier whose encoder holds the pre-trained weights; the seed fixes the new head. */
  public ClassifierModel initialise(EncoderModel pretrained, int classes) {
    return ClassifierModel.fromEncoder(
        pretrained, classes, config.dropout(), Seeds.derive(config.seed(), HEAD_STREAM));
  }

  /** A classifier trained from scratch (no pre-training); the seed fixes every weight. */
  public ClassifierModel initialiseFromScratch(
      EncoderSpec spec, int height, int width, Normalization normalization, int classes) {
    return ClassifierModel.fromScratch(
        spec,
        height,
        width,
        normalization,
        classes,
        config.dropout(),
        Seeds.derive(config.seed(), HEAD_STREAM));
  }

  /** The batch size a labelled set of {@code n} images is trained with. */
  public int batchSize(int n) {
    return Math.min(config.batchSize(), n);
  }

  /**
   * The optimizer steps of one pass over {@code n} images: a last batch of one image is skipped
   * (batch norm needs two samples in training mode).
   */
  public int batchesPerEpoch(int n) {
    int batch = batchSize(n);
    return n / batch + (n % batch >= 2 ? 1 : 0);
  }

  /** Trains {@code model} in place on the labelled images. */
  public FineTuneResult fit(ClassifierModel model, PackedImages labelled, TrainingHooks hooks) {
    model.requireImageSize(labelled);
    labelled.requireLabels(model.classes());
    int n = labelled.size();
    if (n < 2) {
      throw new IllegalArgumentException("fine-tuning needs at least 2 labelled images, got " + n);
    }
    int batchSize = batchSize(n);
    int stepsPerEpoch = batchesPerEpoch(n);
    long totalSteps = config.steps(stepsPerEpoch);
    int epochs = (int) ((totalSteps + stepsPerEpoch - 1) / stepsPerEpoch);
    LearningRateSchedule schedule =
        LearningRateSchedule.ofSteps(
            config.optimizer(), totalSteps, Math.round(config.warmupFraction() * totalSteps));
    RateGroups rates = new RateGroups(model, totalSteps);
    float[] classWeights = config.classWeighting().weights(labelled.labels(), model.classes());
    Augmenter augmenter = new Augmenter(config.augmentation(), model.normalization());
    NDManager manager = model.manager();
    ParameterStore store = model.parameterStore();
    Steps.requireGradients(model.network().getParameters());
    Seeds.seedEngine(Seeds.derive(config.seed(), DROPOUT_STREAM));
    List<Double> epochLosses = new ArrayList<>();
    double trainAccuracy = 0;
    long step = 0;
    ProgressMeter meter = new ProgressMeter(hooks, epochs, totalSteps, 0);
    try (ParameterUpdater updater = new ParameterUpdater(config.optimizer(), manager);
        NDManager constants = manager.newSubManager()) {
      NDArray weights = constants.create(classWeights);
      for (int epoch = 0; epoch < epochs; epoch++) {
        int[] order = Batches.shuffled(n, config.seed(), epoch);
        long correct = 0;
        long seen = 0;
        double lossSum = 0;
        int batches = 0;
        for (int b = 0; b < stepsPerEpoch && step < totalSteps; b++) {
          meter.checkCancelled(step);
          int[] batch = Batches.slice(order, b * batchSize, Math.min(n, (b + 1) * batchSize));
          int[] labels = new int[batch.length];
          for (int i = 0; i < batch.length; i++) {
            labels[i] = labelled.labels()[batch[i]];
          }
          long[] batchCorrect = new long[1];
          int currentEpoch = epoch;
          double rate = schedule.rate(step);
          double loss =
              Steps.optimise(
                  model.network().getParameters(),
                  updater,
                  rates.at(step, rate),
                  () -> {
                    NDArray inputs =
                        Batches.augmented(
                            manager, labelled, batch, augmenter, config.seed(), currentEpoch, 0);
                    NDArray logits =
                        model.network().forward(store, new NDList(inputs), true).get(1);
                    NDArray target = manager.create(labels);
                    batchCorrect[0] =
                        logits
                            .argMax(1)
                            .toType(target.getDataType(), false)
                            .eq(target)
                            .sum()
                            .getLong();
                    return crossEntropy(logits, target, weights, model.classes());
                  });
          correct += batchCorrect[0];
          seen += batch.length;
          lossSum += loss;
          batches++;
          step++;
          meter.stepDone(epoch, step, batch.length, loss, rate);
        }
        epochLosses.add(lossSum / batches);
        trainAccuracy = (double) correct / seen;
        if (config.stopAtTrainAccuracy() > 0 && trainAccuracy >= config.stopAtTrainAccuracy()) {
          break;
        }
      }
    }
    return new FineTuneResult(
        epochLosses.size(),
        step,
        trainAccuracy,
        epochLosses.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** Mean over the batch of each image's cross-entropy times its class's weight. */
  private static NDArray crossEntropy(
      NDArray logits, NDArray target, NDArray classWeights, int classes) {
    NDArray oneHot = target.oneHot(classes).toType(logits.getDataType(), false);
    NDArray perImage = logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg();
    NDArray weight = oneHot.mul(classWeights).sum(new int[] {1});
    return perImage.mul(weight).mean();
  }

  /**
   * The learning rate of each parameter group at a step: the head follows the schedule; a
   * pre-trained encoder stays still for the head-only share of the steps, then follows the schedule
   * scaled by its factor. From scratch every parameter follows the schedule.
   */
  private final class RateGroups {
    private final ClassifierModel model;
    private final long headOnlySteps;
    private final double encoderFactor;

    RateGroups(ClassifierModel model, long totalSteps) {
      this.model = model;
      boolean pretrained = model.hasPretrainedEncoder();
      FineTuneConfig.PretrainedTuning tuning = config.pretrained();
      this.headOnlySteps = pretrained ? Math.round(tuning.headOnlyFraction() * totalSteps) : 0;
      this.encoderFactor = pretrained ? tuning.encoderLearningRateFactor() : 1;
    }

    ToDoubleFunction<String> at(long step, double rate) {
      double encoderRate = step < headOnlySteps ? 0 : rate * encoderFactor;
      return path -> model.isEncoderParameter(path) ? encoderRate : rate;
    }
  }
}
