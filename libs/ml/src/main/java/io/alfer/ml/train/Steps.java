package io.alfer.ml.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * One optimizer step: forward and loss under a gradient collector, backward, update, zero the
 * gradients. Every temporary array is freed when the step ends.
 *
 * <p>A loss must build its graph from engine-owned arrays only: constants from {@link
 * io.alfer.ml.engine.Constants}, never {@code NDArray} arithmetic with a Java {@link Number} (see
 * there why).
 */
public final class Steps {
  private Steps() {}

  /**
   * Runs a step and returns its loss. Only one step may run at a time per JVM (the engine's
   * gradient collector is global).
   *
   * @throws IllegalStateException starting with "training diverged" when the loss or any gradient
   *     is not finite; the parameters are then left as they were, with their gradients zeroed
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
      try {
        NDArray value;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          value = loss.get();
          collector.backward(value);
        }
        double result = value.toType(DataType.FLOAT64, false).getDouble();
        if (!Double.isFinite(result)) {
          throw new IllegalStateException("training diverged: loss is " + result);
        }
        requireFiniteGradients(parameters, result);
        updater.update(parameters, learningRate);
        return result;
      } finally {
        zeroGradients(parameters);
      }
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

  /**
   * A non-finite gradient must never reach the weights (nor an epoch checkpoint): one sum per
   * parameter is enough to see a NaN or an infinity anywhere in it.
   */
  private static void requireFiniteGradients(ParameterList parameters, double loss) {
    for (Pair<String, Parameter> p : parameters) {
      if (!p.getValue().requiresGradient()) {
        continue;
      }
      NDArray grad = p.getValue().getArray().getGradient();
      double sum = grad.sum().toType(DataType.FLOAT64, false).getDouble();
      if (!Double.isFinite(sum)) {
        throw new IllegalStateException(
            "training diverged: the gradient of "
                + p.getKey()
                + " is not finite (its sum is "
                + sum
                + ") although the loss is "
                + loss);
      }
    }
  }

  /**
   * Sets every gradient to exactly zero. ({@code grad − grad} would not: a NaN or an infinity would
   * stay and poison every later step.)
   */
  private static void zeroGradients(ParameterList parameters) {
    for (Pair<String, Parameter> p : parameters) {
      if (p.getValue().requiresGradient() && p.getValue().getArray().hasGradient()) {
        JniUtils.zeroGrad((PtNDArray) p.getValue().getArray());
      }
    }
  }
}
