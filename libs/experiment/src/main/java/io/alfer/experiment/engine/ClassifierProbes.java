package io.alfer.experiment.engine;

import io.alfer.al.LinearHead;
import io.alfer.al.Matrix;
import io.alfer.ml.data.PackedImages;
import io.alfer.ml.model.ClassifierModel;

/**
 * What some strategies need from a round's classifier beyond its predictions: the linear head
 * (BALD, GLISTER) and the DeepFool perturbation sizes of images (DeepFool).
 */
public interface ClassifierProbes {
  /** The classifier's head: weights c × d and bias c. */
  LinearHead head(ClassifierModel model);

  /** The L2 size of DeepFool's minimal perturbation that flips each image's prediction. */
  float[] deepFoolSizes(ClassifierModel model, PackedImages images);

  /** The probes of alfer-ml. */
  static ClassifierProbes ofMl() {
    return new ClassifierProbes() {
      @Override
      public LinearHead head(ClassifierModel model) {
        float[] weights = model.network().headWeight().getArray().toFloatArray();
        float[] bias = model.network().headBias().getArray().toFloatArray();
        int classes = bias.length;
        return new LinearHead(new Matrix(weights, classes, weights.length / classes), bias);
      }

      @Override
      public float[] deepFoolSizes(ClassifierModel model, PackedImages images) {
        throw new UnsupportedOperationException(
            "the deepfool strategy needs io.alfer.ml.deepfool.DeepFool from libs/ml, which this"
                + " build does not have yet; leave deepfool out (--strategies) until it lands");
      }
    };
  }
}
