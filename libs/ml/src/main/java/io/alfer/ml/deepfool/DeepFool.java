package io.alfer.ml.deepfool;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.alfer.ml.data.Normalization;
import io.alfer.ml.data.PackedImages;
import io.alfer.ml.engine.Constants;
import io.alfer.ml.model.ClassifierModel;
import java.util.ArrayList;
import java.util.List;

/**
 * DeepFool perturbation sizes of a {@link ClassifierModel}, for the DeepFool active-learning
 * strategy (DFAL): the smaller the perturbation that flips an image's predicted class, the closer
 * the image lies to the decision boundary.
 *
 * <p>The attack runs on the whole network, through its own normalisation: the perturbation lives in
 * the [0, 1] pixel domain (pixel / 255), is added before {@code (x − mean) / std}, and the
 * perturbed image is kept in [0, 1]. The network runs in inference mode (batch norm with its
 * running statistics, no dropout), so every image is attacked independently. See {@link
 * DeepFoolSearch} for the algorithm, its stopping rules and the size of an image that is not
 * flipped within {@code maxIterations} (the norm of the perturbation accumulated by then).
 */
public final class DeepFool {
  private DeepFool() {}

  /**
   * Per image, the L2 norm (pixel domain [0, 1]) of DeepFool's minimal perturbation that flips the
   * model's predicted class; finite and {@code >= 0}, in image order.
   */
  public static float[] perturbationSizes(
      ClassifierModel model, PackedImages images, DeepFoolConfig config) {
    return perturbationSizes(model, images, config, DeepFoolHooks.NONE);
  }

  /** {@link #perturbationSizes(ClassifierModel, PackedImages, DeepFoolConfig)} with hooks. */
  public static float[] perturbationSizes(
      ClassifierModel model, PackedImages images, DeepFoolConfig config, DeepFoolHooks hooks) {
    return run(model, images, config, hooks, false).sizes();
  }

  /**
   * The full result: sizes, steps, which images flipped, their classes before and after, and (when
   * {@code keepPerturbations}) every perturbation r, n × H × W, to be applied as {@code x + (1 +
   * overshoot)·r} on the [0, 1] image.
   */
  public static DeepFoolResult run(
      ClassifierModel model,
      PackedImages images,
      DeepFoolConfig config,
      DeepFoolHooks hooks,
      boolean keepPerturbations) {
    model.requireImageSize(images);
    List<NDArray> frozen = freezeParameters(model);
    try {
      return new DeepFoolSearch(
              classifier(model), new Shape(1, model.height(), model.width()), config)
          .run(model.manager(), inputs(images), hooks, keepPerturbations);
    } finally {
      for (NDArray array : frozen) {
        array.setRequiresGradient(true);
      }
    }
  }

  /**
   * The model as a function of [0, 1] images (B, 1, H, W) to logits, normalised as the model
   * normalises, in inference mode.
   */
  public static DifferentiableClassifier classifier(ClassifierModel model) {
    Normalization norm = model.normalization();
    ParameterStore store = model.parameterStore();
    return inputs -> {
      // engine-owned constants: the backward passes read the divisor (see Constants)
      NDArray normalised =
          inputs
              .sub(Constants.scalar(inputs, norm.mean()))
              .div(Constants.scalar(inputs, norm.std()));
      return model.network().forward(store, new NDList(normalised), false).get(1);
    };
  }

  /** The images as [0, 1] inputs. */
  private static DeepFoolSearch.Inputs inputs(PackedImages images) {
    int area = images.imageArea();
    byte[] pixels = images.pixels();
    return new DeepFoolSearch.Inputs() {
      @Override
      public int size() {
        return images.size();
      }

      @Override
      public void read(int index, float[] out, int offset) {
        int base = index * area;
        for (int i = 0; i < area; i++) {
          out[offset + i] = (pixels[base + i] & 0xFF) / 255f;
        }
      }

      @Override
      public String name(int index) {
        return "image " + images.ids().get(index);
      }
    };
  }

  /**
   * Stops the parameters from recording gradients for the run: only the input's gradient is needed,
   * and a later training step must not find DeepFool's gradients accumulated in its own.
   */
  static List<NDArray> freezeParameters(ClassifierModel model) {
    List<NDArray> frozen = new ArrayList<>();
    for (Pair<String, Parameter> p : model.network().getParameters()) {
      NDArray array = p.getValue().getArray();
      if (array.hasGradient()) {
        array.setRequiresGradient(false);
        frozen.add(array);
      }
    }
    return frozen;
  }
}
