package io.alfer.experiment.engine;

import io.alfer.al.LinearHead;
import io.alfer.al.Matrix;
import io.alfer.ml.data.PackedImages;
import io.alfer.ml.deepfool.DeepFool;
import io.alfer.ml.deepfool.DeepFoolConfig;
import io.alfer.ml.deepfool.DeepFoolHooks;
import io.alfer.ml.deepfool.DeepFoolProgress;
import io.alfer.ml.model.ClassifierModel;
import java.util.function.Consumer;

/**
 * What some strategies need from a round's classifier beyond its predictions: the linear head
 * (BALD, GLISTER) and the DeepFool perturbation sizes of images (DeepFool).
 */
public interface ClassifierProbes {
  /** The classifier's head: weights c × d and bias c. */
  LinearHead head(ClassifierModel model);

  /**
   * The L2 size (pixels in [0, 1]) of DeepFool's minimal perturbation that flips each image's
   * prediction, in image order.
   */
  float[] deepFoolSizes(
      ClassifierModel model, PackedImages images, Consumer<DeepFoolProgress> progress);

  /** alfer-ml's: the head's parameters, and DeepFool through the whole network (defaults). */
  static ClassifierProbes ofMl() {
    return ofMl(DeepFoolConfig.defaults());
  }

  /** alfer-ml's, with DeepFool run with {@code config}. */
  static ClassifierProbes ofMl(DeepFoolConfig config) {
    return new ClassifierProbes() {
      @Override
      public LinearHead head(ClassifierModel model) {
        float[] weights = model.headWeights();
        float[] bias = model.headBias();
        int classes = bias.length;
        return new LinearHead(new Matrix(weights, classes, weights.length / classes), bias);
      }

      @Override
      public float[] deepFoolSizes(
          ClassifierModel model, PackedImages images, Consumer<DeepFoolProgress> progress) {
        return DeepFool.perturbationSizes(
            model,
            images,
            config,
            new DeepFoolHooks() {
              @Override
              public void onProgress(DeepFoolProgress p) {
                progress.accept(p);
              }
            });
      }
    };
  }
}
