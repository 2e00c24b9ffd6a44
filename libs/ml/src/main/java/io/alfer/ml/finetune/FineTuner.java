package io.alfer.ml.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.alfer.ml.data.Augmenter;
import io.alfer.ml.data.Batches;
import io.alfer.ml.data.PackedImages;
import io.alfer.ml.data.Seeds;
import io.alfer.ml.model.ClassifierModel;
import io.alfer.ml.model.EncoderModel;
import io.alfer.ml.model.EncoderSpec;
import io.alfer.ml.model.Normalization;
import io.alfer.ml.train.LearningRateSchedule;
import io.alfer.ml.train.ParameterUpdater;
import io.alfer.ml.train.ProgressMeter;
import io.alfer.ml.train.Steps;
import io.alfer.ml.train.TrainingHooks;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains a round's classifier on the labelled set with softmax cross-entropy. The encoder starts
 * from the pre-trained weights (or from scratch) and is fine-tuned with the head; training stops
 * after {@code maxEpochs} or once an epoch's training accuracy reaches the configured threshold.
 * Hooks get progress and may cancel; a round is short, so it writes no epoch checkpoints and a
 * crashed round is simply rerun. One run at a time per JVM.
 */
public final class FineTuner {
  private static final long HEAD_STREAM = 1;
  private static final long DROPOUT_STREAM = 2;

  private final FineTuneConfig config;

  public FineTuner(FineTuneConfig config) {
    this.config = config;
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

  /** Trains {@code model} in place on the labelled images. */
  public FineTuneResult fit(ClassifierModel model, PackedImages labelled, TrainingHooks hooks) {
    model.requireImageSize(labelled);
    labelled.requireLabels(model.classes());
    int n = labelled.size();
    int batchSize = config.batchSize();
    // A last batch of one image is skipped: batch norm needs two samples in training mode.
    int stepsPerEpoch = n / batchSize + (n % batchSize >= 2 ? 1 : 0);
    if (stepsPerEpoch == 0) {
      throw new IllegalArgumentException("fine-tuning needs at least 2 labelled images, got " + n);
    }
    LearningRateSchedule schedule =
        new LearningRateSchedule(config.optimizer(), stepsPerEpoch, config.maxEpochs());
    Augmenter augmenter = new Augmenter(config.augmentation(), model.normalization());
    NDManager manager = model.manager();
    ParameterStore store = model.parameterStore();
    Steps.requireGradients(model.network().getParameters());
    Seeds.seedEngine(Seeds.derive(config.seed(), DROPOUT_STREAM));
    List<Double> epochLosses = new ArrayList<>();
    double trainAccuracy = 0;
    long step = 0;
    ProgressMeter meter = new ProgressMeter(hooks, config.maxEpochs(), schedule.totalSteps(), 0);
    try (ParameterUpdater updater = new ParameterUpdater(config.optimizer(), manager)) {
      for (int epoch = 0; epoch < config.maxEpochs(); epoch++) {
        int[] order = Batches.shuffled(n, config.seed(), epoch);
        long correct = 0;
        long seen = 0;
        double lossSum = 0;
        for (int b = 0; b < stepsPerEpoch; b++) {
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
                  rate,
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
                    return crossEntropy(logits, target, model.classes());
                  });
          correct += batchCorrect[0];
          seen += batch.length;
          lossSum += loss;
          step++;
          meter.stepDone(epoch, step, batch.length, loss, rate);
        }
        epochLosses.add(lossSum / stepsPerEpoch);
        trainAccuracy = (double) correct / seen;
        if (trainAccuracy >= config.stopAtTrainAccuracy()) {
          break;
        }
      }
    }
    return new FineTuneResult(
        epochLosses.size(),
        trainAccuracy,
        epochLosses.stream().mapToDouble(Double::doubleValue).toArray());
  }

  private static NDArray crossEntropy(NDArray logits, NDArray target, int classes) {
    NDArray oneHot = target.oneHot(classes).toType(logits.getDataType(), false);
    return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).mean().neg();
  }
}
