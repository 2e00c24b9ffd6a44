package io.alfer.ml.deepfool;

import ai.djl.ndarray.NDArray;

/**
 * A classifier as DeepFool sees it: a function from a batch of inputs to their logits, built from
 * NDArray operations so that the engine's autograd can differentiate the logits with respect to the
 * inputs. It must treat the images of a batch independently (no batch statistics, no dropout).
 */
@FunctionalInterface
public interface DifferentiableClassifier {
  /**
   * The logits of a batch.
   *
   * @param inputs shape (B, ...), values in [0, 1]; it records gradients
   * @return shape (B, classes)
   */
  NDArray logits(NDArray inputs);
}
