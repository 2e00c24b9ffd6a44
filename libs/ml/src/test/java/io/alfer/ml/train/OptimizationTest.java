package io.alfer.ml.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import io.alfer.ml.engine.Constants;
import org.junit.jupiter.api.Test;

class OptimizationTest {
  @Test
  void warmupRisesLinearlyThenCosineFallsToTheFloor() {
    OptimizerConfig config =
        new OptimizerConfig(
            OptimizerConfig.Kind.SGD, 1.0, 0.9, 0, 2, OptimizerConfig.Schedule.COSINE, 0.1);
    LearningRateSchedule schedule = new LearningRateSchedule(config, 5, 10);
    assertThat(schedule.totalSteps()).isEqualTo(50);
    assertThat(schedule.rate(0)).isCloseTo(0.1, within(1e-12));
    assertThat(schedule.rate(4)).isCloseTo(0.5, within(1e-12));
    assertThat(schedule.rate(9)).isCloseTo(1.0, within(1e-12));
    assertThat(schedule.rate(10)).isCloseTo(1.0, within(1e-12));
    assertThat(schedule.rate(49)).isCloseTo(0.1, within(1e-12));
    assertThat(schedule.rate(30)).isLessThan(schedule.rate(20));
  }

  @Test
  void aScheduleInStepsWarmsUpOverItsOwnShare() {
    OptimizerConfig config = OptimizerConfig.sgd(0.5, 0.9, 0);
    LearningRateSchedule schedule = LearningRateSchedule.ofSteps(config, 100, 10);
    assertThat(schedule.totalSteps()).isEqualTo(100);
    assertThat(schedule.rate(0)).isCloseTo(0.05, within(1e-12));
    assertThat(schedule.rate(9)).isCloseTo(0.5, within(1e-12));
    assertThat(schedule.rate(10)).isCloseTo(0.5, within(1e-12));
    assertThat(schedule.rate(99)).isCloseTo(0.0, within(1e-12));
    assertThat(LearningRateSchedule.ofSteps(config, 1, 0).rate(0)).isEqualTo(0.5);
    assertThatThrownBy(() -> LearningRateSchedule.ofSteps(config, 10, 11))
        .hasMessageContaining("warm-up");
  }

  @Test
  void aParameterAtRateZeroIsLeftAloneMomentumIncluded() {
    OptimizerConfig config = OptimizerConfig.sgd(0.1, 0.5, 0);
    try (NDManager manager = NDManager.newBaseManager()) {
      Parameter frozen = parameter(manager, 2f);
      ParameterList parameters = new ParameterList();
      parameters.add("w", frozen);
      ParameterUpdater updater = new ParameterUpdater(config, manager);
      Steps.optimise(parameters, updater, path -> 0.0, () -> frozen.getArray().mul(3f).sum());
      assertThat(frozen.getArray().getFloat(0)).isEqualTo(2f);
      // had the first gradient gone into the momentum, this step would move by 0.1·(0.5·3 + 1)
      Steps.optimise(parameters, updater, path -> 0.1, () -> frozen.getArray().mul(1f).sum());
      assertThat(frozen.getArray().getFloat(0)).isCloseTo(2f - 0.1f, within(1e-6f));
    }
  }

  @Test
  void sgdFollowsPyTorchsRuleAndItsStateRoundTrips() {
    OptimizerConfig config = OptimizerConfig.sgd(0.1, 0.5, 0.01);
    try (NDManager manager = NDManager.newBaseManager()) {
      Parameter weight = parameter(manager, 2f);
      ParameterList parameters = new ParameterList();
      parameters.add("w", weight);
      ParameterUpdater updater = new ParameterUpdater(config, manager);
      step(parameters, updater, weight, 1f);
      // v = 1 + 0.01·2 = 1.02; w = 2 − 0.1·1.02
      double afterOne = 2 - 0.1 * 1.02;
      assertThat(weight.getArray().getFloat(0)).isCloseTo((float) afterOne, within(1e-6f));
      byte[] state = updater.stateBytes();
      step(parameters, updater, weight, 1f);
      // gradients were zeroed after the first step, so g = 1 again: v = 0.5·1.02 + 1 + 0.01·w
      double v = 0.5 * 1.02 + 1 + 0.01 * afterOne;
      assertThat(weight.getArray().getFloat(0))
          .isCloseTo((float) (afterOne - 0.1 * v), within(1e-6f));

      ParameterUpdater restored = new ParameterUpdater(config, manager);
      restored.loadStateBytes(state);
      assertThat(restored.steps()).isEqualTo(1);
      assertThat(restored.stateBytes()).isEqualTo(state);
    }
  }

  @Test
  void aNonFiniteGradientAtAFiniteLossStopsTheStepBeforeTheUpdateAndIsZeroedExactly() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Parameter weight = parameter(manager, 0f);
      ParameterList parameters = new ParameterList();
      parameters.add("w", weight);
      ParameterUpdater updater = new ParameterUpdater(OptimizerConfig.sgd(0.1, 0.9, 0), manager);
      // sqrt(w) at w = 0: the loss is 0, its gradient +∞
      assertThatThrownBy(
              () -> Steps.optimise(parameters, updater, 0.1, () -> weight.getArray().sqrt().sum()))
          .hasMessageStartingWith("training diverged")
          .hasMessageContaining("gradient of w");
      assertThat(weight.getArray().getFloat(0)).isZero();
      assertThat(updater.steps()).isZero();
      // zeroed to exactly 0 (∞ − ∞ would have left a NaN), so the next step is a clean one
      assertThat(weight.getArray().getGradient().getFloat(0)).isZero();
      step(parameters, updater, weight, 1f);
      assertThat(weight.getArray().getFloat(0)).isCloseTo(-0.1f, within(1e-6f));
    }
  }

  @Test
  void rejectsInvalidSettings() {
    assertThatThrownBy(() -> OptimizerConfig.sgd(-1, 0.9, 0)).hasMessageContaining("learning rate");
    assertThatThrownBy(() -> OptimizerConfig.sgd(0.1, 1.0, 0)).hasMessageContaining("momentum");
    assertThatThrownBy(() -> new LearningRateSchedule(OptimizerConfig.sgd(0.1, 0, 0), 0, 3))
        .hasMessageContaining("positive steps");
    assertThatThrownBy(() -> ResumeState.fromBytes(new byte[] {0, 0, 0, 1}))
        .hasMessageContaining("not an alfer resume state");
  }

  private static Parameter parameter(NDManager manager, float value) {
    Parameter parameter = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
    NDArray array = manager.create(new float[] {value}, new Shape(1));
    array.setRequiresGradient(true);
    parameter.setArray(array);
    return parameter;
  }

  /** One optimizer step on the loss value·w, whose gradient is {@code value}. */
  private static void step(
      ParameterList parameters, ParameterUpdater updater, Parameter weight, float value) {
    NDArray w = weight.getArray();
    Steps.optimise(parameters, updater, 0.1, () -> w.mul(Constants.scalar(w, value)).sum());
  }
}
