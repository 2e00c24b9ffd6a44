package io.alfer.ml.simclr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.alfer.ml.data.Augmenter;
import io.alfer.ml.data.Batches;
import io.alfer.ml.data.PackedImages;
import io.alfer.ml.eval.QualityProbe;
import io.alfer.ml.eval.RepresentationQuality;
import io.alfer.ml.train.EpochSummary;
import io.alfer.ml.train.LearningRateSchedule;
import io.alfer.ml.train.ParameterUpdater;
import io.alfer.ml.train.ProgressMeter;
import io.alfer.ml.train.ResumeState;
import io.alfer.ml.train.Steps;
import io.alfer.ml.train.TrainingHooks;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SimCLR pre-training of an encoder on an unlabelled pool: per step, two augmented views of each
 * image of the batch go through encoder and projection head together, and NT-Xent pulls the views
 * of an image together. After the last epoch the projection head is dropped. One run at a time per
 * JVM.
 *
 * <p>With a {@link QualityProbe} (a labelled set, e.g. the dataset's test split), every epoch ends
 * by measuring the quality of the encoder's embeddings on it (k-NN and linear-probe accuracy),
 * reported through {@link TrainingHooks#onEpochEnd}. The measurement runs in inference mode and
 * changes nothing in the training: the encoder is bit-identical with and without a probe.
 */
public final class SimClrTrainer {
  static final String RUN_KIND = "simclr";

  /** Images per inference batch when measuring the probe. */
  private static final int PROBE_BATCH = 256;

  private final SimClrConfig config;
  private final QualityProbe probe;

  /** A trainer that measures no representation quality. */
  public SimClrTrainer(SimClrConfig config) {
    this(config, null);
  }

  /**
   * A trainer that measures the representation's quality on {@code probe} after every epoch.
   *
   * @param probe labelled images of the pool's size, or null for none
   */
  public SimClrTrainer(SimClrConfig config, QualityProbe probe) {
    this.config = config;
    this.probe = probe;
  }

  /**
   * The configuration a run on {@code pool} uses: this trainer's, with a null normalisation
   * replaced by the pool's own (what the encoder and its checkpoint carry).
   */
  public SimClrConfig configFor(PackedImages pool) {
    return config.forPool(pool);
  }

  /** Pre-trains from freshly initialised weights. */
  public SimClrResult train(PackedImages pool, TrainingHooks hooks) {
    return run(pool, null, hooks);
  }

  /** Continues a run from an epoch checkpoint passed to {@link TrainingHooks#onEpochCheckpoint}. */
  public SimClrResult resume(PackedImages pool, byte[] resumeState, TrainingHooks hooks) {
    ResumeState state = ResumeState.fromBytes(resumeState);
    state.requireRun(RUN_KIND, config.seed());
    return run(pool, state, hooks);
  }

  private SimClrResult run(PackedImages pool, ResumeState resume, TrainingHooks hooks) {
    SimClrConfig config = configFor(pool); // the normalisation resolved: what the run uses
    if (probe != null
        && (probe.images().height() != pool.height() || probe.images().width() != pool.width())) {
      throw new IllegalArgumentException(
          "the quality probe's images are "
              + probe.images().height()
              + "×"
              + probe.images().width()
              + ", the pool's "
              + pool.height()
              + "×"
              + pool.width());
    }
    int stepsPerEpoch = pool.size() / config.batchSize();
    if (stepsPerEpoch == 0) {
      throw new IllegalArgumentException(
          "the pool has " + pool.size() + " images, fewer than one batch of " + config.batchSize());
    }
    LearningRateSchedule schedule =
        new LearningRateSchedule(config.optimizer(), stepsPerEpoch, config.epochs());
    NtXentLoss loss = new NtXentLoss(config.temperature());
    Augmenter augmenter = new Augmenter(config.augmentation(), config.normalization());
    try (SimClrModel model = new SimClrModel(config, pool.height(), pool.width());
        ParameterUpdater updater = new ParameterUpdater(config.optimizer(), model.manager())) {
      int startEpoch = 0;
      if (resume != null) {
        model.loadParameterBytes(resume.parameters());
        updater.loadStateBytes(resume.optimizerState());
        startEpoch = resume.completedEpochs();
      }
      Steps.requireGradients(model.network().getParameters());
      long step = (long) startEpoch * stepsPerEpoch;
      ProgressMeter meter = new ProgressMeter(hooks, config.epochs(), schedule.totalSteps(), step);
      ParameterStore store = model.parameterStore();
      NDManager manager = model.manager();
      List<Double> epochLosses = new ArrayList<>();
      List<RepresentationQuality> epochQualities = new ArrayList<>();
      for (int epoch = startEpoch; epoch < config.epochs(); epoch++) {
        long epochStart = System.nanoTime();
        int[] order = Batches.shuffled(pool.size(), config.seed(), epoch);
        double lossSum = 0;
        for (int b = 0; b < stepsPerEpoch; b++) {
          meter.checkCancelled(step);
          int[] batch = Batches.slice(order, b * config.batchSize(), (b + 1) * config.batchSize());
          double rate = schedule.rate(step);
          int currentEpoch = epoch;
          double value =
              Steps.optimise(
                  model.network().getParameters(),
                  updater,
                  rate,
                  () -> {
                    NDArray views =
                        Batches.augmented(
                                manager, pool, batch, augmenter, config.seed(), currentEpoch, 0)
                            .concat(
                                Batches.augmented(
                                    manager,
                                    pool,
                                    batch,
                                    augmenter,
                                    config.seed(),
                                    currentEpoch,
                                    1),
                                0);
                    NDArray z =
                        model.network().forward(store, new NDList(views), true).singletonOrThrow();
                    int n = batch.length;
                    return loss.compute(z.get("0:" + n), z.get(n + ":"));
                  });
          lossSum += value;
          step++;
          meter.stepDone(epoch, step, batch.length, value, rate);
        }
        double epochLoss = lossSum / stepsPerEpoch;
        epochLosses.add(epochLoss);
        Optional<RepresentationQuality> quality = Optional.empty();
        if (probe != null) {
          long measureStart = System.nanoTime();
          float[][] embeddings = model.embed(probe.images(), PROBE_BATCH);
          quality =
              Optional.of(probe.measure(embeddings, (System.nanoTime() - measureStart) / 1e9));
          epochQualities.add(quality.get());
        }
        hooks.onEpochEnd(
            new EpochSummary(
                epoch + 1,
                config.epochs(),
                epochLoss,
                quality,
                (System.nanoTime() - epochStart) / 1e9));
        hooks.onEpochCheckpoint(
            epoch + 1,
            new ResumeState(
                    RUN_KIND,
                    config.seed(),
                    epoch + 1,
                    model.parameterBytes(),
                    updater.stateBytes())
                .toBytes());
      }
      return new SimClrResult(
          model.detachEncoder(),
          epochLosses.stream().mapToDouble(Double::doubleValue).toArray(),
          List.copyOf(epochQualities));
    }
  }
}
