package io.alfer.ml.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * One optimizer step: forward and loss under a gradient collector, backward, update, zero the
 * gradients. Every temporary array is freed when the step ends.
 */
public final class Steps {
  private Steps() {}

  /**
   * Runs a step and returns its loss. Only one step may run at a time per JVM (the engine's
   * gradient mode is global).
   */
  public static double optimise(
      ParameterList parameters,
      ParameterUpdater updater,
      double learningRate,
      Supplier<NDArray> loss) {
    return optimise(parameters, updater, path -> learningRate, loss);
  }

  /** Runs a step whose learning rate depends on the parameter's path (parameter groups). */
  public static double optimise(
      ParameterList parameters,
      ParameterUpdater updater,
      ToDoubleFunction<String> learningRate,
      Supplier<NDArray> loss) {
    try (NDScope scope = new NDScope()) {
      NDArray value;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        value = loss.get();
        collector.backward(value);
      }
      double result = value.toType(DataType.FLOAT64, false).getDouble();
      if (!Double.isFinite(result)) {
        throw new IllegalStateException("training diverged: loss is " + result);
      }
      updater.update(parameters, learningRate);
      for (Pair<String, Parameter> p : parameters) {
        if (p.getValue().requiresGradient()) {
          NDArray grad = p.getValue().getArray().getGradient();
          grad.subi(grad);
        }
      }
      return result;
    }
  }

  /** Makes sure every trainable parameter records gradients (loaded parameters start without). */
  public static void requireGradients(ParameterList parameters) {
    for (Pair<String, Parameter> p : parameters) {
      NDArray array = p.getValue().getArray();
      if (p.getValue().requiresGradient() && !array.hasGradient()) {
        array.setRequiresGradient(true);
      }
    }
  }
}
