package io.alfer.ml.finetune;

/**
 * How the cross-entropy of each labelled image is weighted by its class, so that a rare class
 * (FER2013's disgust is 1.5 % of the images) is not drowned by the frequent ones. Weights are
 * computed once per run from the labelled set and scaled to a mean of 1 over its images, so the
 * loss keeps its size and the learning rate its meaning.
 */
public enum ClassWeighting {
  /** Every image counts the same. */
  NONE,
  /** Weight ∝ 1 / √(images of the class): halfway between none and full balance. */
  INVERSE_SQRT_FREQUENCY,
  /** Weight ∝ 1 / (images of the class): every class counts as much in total. */
  INVERSE_FREQUENCY;

  /**
   * The weight of each class for a labelled set, mean 1 over its images; classes without an image
   * get 0.
   *
   * @param labels the label of every labelled image
   * @param classes the number of classes
   */
  public float[] weights(int[] labels, int classes) {
    int[] counts = new int[classes];
    for (int label : labels) {
      counts[label]++;
    }
    double[] raw = new double[classes];
    double total = 0;
    for (int c = 0; c < classes; c++) {
      if (counts[c] > 0) {
        raw[c] =
            switch (this) {
              case NONE -> 1;
              case INVERSE_SQRT_FREQUENCY -> 1 / Math.sqrt(counts[c]);
              case INVERSE_FREQUENCY -> 1.0 / counts[c];
            };
        total += raw[c] * counts[c];
      }
    }
    float[] out = new float[classes];
    for (int c = 0; c < classes; c++) {
      out[c] = (float) (raw[c] * labels.length / total);
    }
    return out;
  }
}
