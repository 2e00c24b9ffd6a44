package io.alfer.ml.simclr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alfer.ml.TestImages;
import io.alfer.ml.data.Normalization;
import io.alfer.ml.data.PackedImages;
import io.alfer.ml.eval.KnnAccuracy;
import io.alfer.ml.eval.LinearProbeAccuracy;
import io.alfer.ml.eval.QualityProbe;
import io.alfer.ml.eval.RepresentationQuality;
import io.alfer.ml.model.EncoderSpec;
import io.alfer.ml.train.EpochSummary;
import io.alfer.ml.train.OptimizerConfig;
import io.alfer.ml.train.TrainingCancelledException;
import io.alfer.ml.train.TrainingHooks;
import io.alfer.ml.train.TrainingProgress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimClrTrainerTest {
  private static final PackedImages POOL = TestImages.banded(24, 16, 3, 7);
  private static final SimClrConfig CONFIG =
      SimClrConfig.defaults(EncoderSpec.TINY, 42)
          .withBatchSize(8)
          .withEpochs(2)
          .withOptimizer(OptimizerConfig.adamW(1e-3, 1e-4, 1));

  @Test
  void sameSeedSameEncoderAndProgressIsReported() {
    List<TrainingProgress> reports = new ArrayList<>();
    TrainingHooks hooks =
        new TrainingHooks() {
          @Override
          public void onProgress(TrainingProgress progress) {
            reports.add(progress);
          }
        };
    byte[] first;
    try (SimClrResult result = train(hooks)) {
      first = result.encoder().parameterBytes();
      assertThat(result.epochLosses()).hasSize(2);
      assertThat(result.epochLosses()[1]).isPositive().isFinite();
    }
    try (SimClrResult again = train(TrainingHooks.NONE)) {
      assertThat(again.encoder().parameterBytes()).isEqualTo(first);
    }
    assertThat(reports).hasSize(6);
    TrainingProgress last = reports.get(5);
    assertThat(last.step()).isEqualTo(6);
    assertThat(last.totalSteps()).isEqualTo(6);
    assertThat(last.imagesPerSecond()).isPositive();
    assertThat(last.eta()).isZero();
    assertThat(reports.get(0).learningRate()).isLessThan(reports.get(2).learningRate());
  }

  @Test
  void aProbeReportsEveryEpochsQualityAndChangesNothingInTheTraining() {
    PackedImages labelled = TestImages.banded(30, 16, 3, 9);
    QualityProbe probe = QualityProbe.of(labelled, 5, 1000);
    List<EpochSummary> summaries = new ArrayList<>();
    TrainingHooks hooks =
        new TrainingHooks() {
          @Override
          public void onEpochEnd(EpochSummary summary) {
            summaries.add(summary);
          }
        };
    byte[] withoutProbe;
    try (SimClrResult plain = train(TrainingHooks.NONE)) {
      withoutProbe = plain.encoder().parameterBytes();
      assertThat(plain.epochQualities()).isEmpty();
      assertThat(plain.finalQuality()).isEmpty();
    }
    try (SimClrResult result = new SimClrTrainer(CONFIG, probe).train(POOL, hooks)) {
      assertThat(result.encoder().parameterBytes()).isEqualTo(withoutProbe);
      assertThat(summaries).extracting(EpochSummary::epoch).containsExactly(1, 2);
      assertThat(summaries).allSatisfy(s -> assertThat(s.epochs()).isEqualTo(2));
      assertThat(summaries)
          .extracting(EpochSummary::loss)
          .containsExactly(result.epochLosses()[0], result.epochLosses()[1]);
      assertThat(summaries)
          .extracting(s -> s.quality().orElseThrow())
          .containsExactlyElementsOf(result.epochQualities());
      RepresentationQuality last = result.finalQuality().orElseThrow();
      assertThat(last.images()).isEqualTo(30);
      assertThat(last.seconds()).isPositive();
      assertThat(summaries.get(1).seconds()).isGreaterThanOrEqualTo(last.seconds());
      // the last figures are the final encoder's, measured independently
      float[][] embeddings = result.encoder().embed(probe.images(), 7);
      int[] labels = probe.images().labels();
      assertThat(last.knnAccuracy()).isEqualTo(KnnAccuracy.leaveOneOut(embeddings, labels, 5));
      assertThat(last.linearProbeAccuracy())
          .isEqualTo(
              LinearProbeAccuracy.crossValidated(
                  embeddings,
                  labels,
                  LinearProbeAccuracy.DEFAULT_FOLDS,
                  LinearProbeAccuracy.DEFAULT_RIDGE));
    }
    PackedImages otherSize = TestImages.banded(10, 8, 3, 9);
    assertThatThrownBy(
            () ->
                new SimClrTrainer(CONFIG, QualityProbe.of(otherSize))
                    .train(POOL, TrainingHooks.NONE))
        .hasMessageContaining("probe");
  }

  @Test
  void byDefaultTheEncoderNormalisesByThePoolsOwnMeanAndDeviation() {
    assertThat(CONFIG.normalization()).isNull();
    Normalization pools = Normalization.of(POOL);
    assertThat(new SimClrTrainer(CONFIG).configFor(POOL).normalization()).isEqualTo(pools);
    try (SimClrResult result = train(TrainingHooks.NONE)) {
      assertThat(result.encoder().normalization()).isEqualTo(pools);
    }
    Normalization explicit = new Normalization(0.3f, 0.2f);
    assertThat(
            new SimClrTrainer(CONFIG.withNormalization(explicit)).configFor(POOL).normalization())
        .isEqualTo(explicit);
  }

  @Test
  void resumingFromEpochCheckpointReproducesUninterruptedRun() {
    List<byte[]> checkpoints = new ArrayList<>();
    byte[] uninterrupted;
    try (SimClrResult result =
        new SimClrTrainer(CONFIG)
            .train(
                POOL,
                new TrainingHooks() {
                  @Override
                  public void onEpochCheckpoint(int completedEpochs, byte[] resumeState) {
                    checkpoints.add(resumeState);
                  }
                })) {
      uninterrupted = result.encoder().parameterBytes();
    }
    assertThat(checkpoints).hasSize(2);
    try (SimClrResult resumed =
        new SimClrTrainer(CONFIG).resume(POOL, checkpoints.get(0), TrainingHooks.NONE)) {
      assertThat(resumed.epochLosses()).hasSize(1);
      assertThat(resumed.encoder().parameterBytes()).isEqualTo(uninterrupted);
    }
  }

  @Test
  void cancellationStopsTheRun() {
    TrainingHooks cancelAfterTwoSteps =
        new TrainingHooks() {
          private int steps;

          @Override
          public void onProgress(TrainingProgress progress) {
            steps++;
          }

          @Override
          public boolean isCancelled() {
            return steps >= 2;
          }
        };
    assertThatThrownBy(() -> new SimClrTrainer(CONFIG).train(POOL, cancelAfterTwoSteps))
        .isInstanceOf(TrainingCancelledException.class)
        .hasMessageContaining("after 2 steps");
  }

  @Test
  void rejectsPoolSmallerThanABatchAndForeignResumeState() {
    PackedImages few = POOL.select(new int[] {0, 1, 2});
    assertThatThrownBy(() -> new SimClrTrainer(CONFIG).train(few, TrainingHooks.NONE))
        .hasMessageContaining("fewer than one batch");
    assertThatThrownBy(
            () -> new SimClrTrainer(CONFIG).resume(POOL, new byte[] {1, 2, 3}, TrainingHooks.NONE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static SimClrResult train(TrainingHooks hooks) {
    return new SimClrTrainer(CONFIG).train(POOL, hooks);
  }
}
