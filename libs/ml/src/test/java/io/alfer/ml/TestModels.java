package io.alfer.ml;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.alfer.ml.model.NetworkModel;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;

/** Helpers that make freshly initialised models less trivial. */
public final class TestModels {
  private TestModels() {}

  /** Gives batch norm non-trivial statistics, so that the export of inference mode is tested. */
  public static void randomiseBatchNorm(NetworkModel<?> model, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (Pair<String, Parameter> p : model.network().getParameters()) {
      Parameter.Type type = p.getValue().getType();
      double low;
      double high;
      switch (type) {
        case GAMMA -> {
          low = 0.7;
          high = 1.3;
        }
        case BETA, RUNNING_MEAN -> {
          low = -0.2;
          high = 0.2;
        }
        case RUNNING_VAR -> {
          low = 0.5;
          high = 1.5;
        }
        default -> {
          continue;
        }
      }
      NDArray array = p.getValue().getArray();
      float[] values = new float[(int) array.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) random.nextDouble(low, high);
      }
      array.set(FloatBuffer.wrap(values));
    }
  }
}
