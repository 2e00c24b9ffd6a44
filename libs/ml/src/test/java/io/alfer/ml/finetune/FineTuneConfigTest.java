package io.alfer.ml.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.alfer.ml.data.AugmentationConfig;
import io.alfer.ml.finetune.FineTuneConfig.PretrainedTuning;
import io.alfer.ml.train.OptimizerConfig;
import org.junit.jupiter.api.Test;

class FineTuneConfigTest {
  private final FineTuneConfig base = FineTuneConfig.cpuFast(7);

  @Test
  void eachWitherChangesItsOwnComponentsAndNothingElse() {
    OptimizerConfig sgd = OptimizerConfig.sgd(0.05, 0.8, 1e-4);
    assertEquals(copy(base, sgd, null), base.withOptimizer(sgd));
    assertEquals(base.maxEpochs() + 3, base.withMaxEpochs(base.maxEpochs() + 3).maxEpochs());
    FineTuneConfig longer = base.withLength(99, 5);
    assertEquals(99, longer.minSteps());
    assertEquals(5, longer.epochs());
    assertEquals(base.withSeed(8).withSeed(7), base);
    assertEquals(copy(base, null, 8L), base.withSeed(8));
    assertEquals(17, base.withBatchSize(17).batchSize());
    assertEquals(
        AugmentationConfig.NONE, base.withAugmentation(AugmentationConfig.NONE).augmentation());
    assertEquals(0.1f, base.withDropout(0.1f).dropout());
    assertEquals(
        ClassWeighting.INVERSE_FREQUENCY,
        base.withClassWeighting(ClassWeighting.INVERSE_FREQUENCY).classWeighting());
    PretrainedTuning lpft = new PretrainedTuning(0.1, 0.5);
    assertEquals(lpft, base.withPretrained(lpft).pretrained());
    FineTuneConfig schedule = base.withSchedule(0.2, 0.9);
    assertEquals(0.2, schedule.warmupFraction());
    assertEquals(0.9, schedule.stopAtTrainAccuracy());
    // every wither leaves the other components as they were
    FineTuneConfig all =
        base.withMaxEpochs(3)
            .withLength(10, 2)
            .withBatchSize(4)
            .withDropout(0)
            .withSchedule(0, 0)
            .withClassWeighting(ClassWeighting.NONE)
            .withPretrained(PretrainedTuning.PLAIN);
    assertEquals(base.optimizer(), all.optimizer());
    assertEquals(base.augmentation(), all.augmentation());
    assertEquals(base.seed(), all.seed());
  }

  @Test
  void aWitherStillChecksTheResult() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> base.withSchedule(1.0, 0));
    assertTrue(e.getMessage().contains("warmupFraction"), e.getMessage());
  }

  private static FineTuneConfig copy(FineTuneConfig c, OptimizerConfig optimizer, Long seed) {
    return new FineTuneConfig(
        optimizer == null ? c.optimizer() : optimizer,
        c.warmupFraction(),
        c.batchSize(),
        c.minSteps(),
        c.epochs(),
        c.maxEpochs(),
        c.stopAtTrainAccuracy(),
        c.dropout(),
        c.augmentation(),
        c.classWeighting(),
        c.pretrained(),
        seed == null ? c.seed() : seed);
  }
}
