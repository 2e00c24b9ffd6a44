package io.alfer.ml.model;

/**
 * A classifier's outputs for N images, row-major.
 *
 * @param count number of images
 * @param embeddingSize embedding width
 * @param classes number of classes
 * @param embeddings N × embeddingSize
 * @param logits N × classes
 */
public record Predictions(
    int count, int embeddingSize, int classes, float[] embeddings, float[] logits) {

  /** The predicted class (arg-max of the logits) of image i. */
  public int predictedClass(int i) {
    int best = 0;
    for (int k = 1; k < classes; k++) {
      if (logits[i * classes + k] > logits[i * classes + best]) {
        best = k;
      }
    }
    return best;
  }

  /** Softmax probabilities of image i. */
  public double[] probabilities(int i) {
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < classes; k++) {
      max = Math.max(max, logits[i * classes + k]);
    }
    double[] p = new double[classes];
    double sum = 0;
    for (int k = 0; k < classes; k++) {
      p[k] = Math.exp(logits[i * classes + k] - max);
      sum += p[k];
    }
    for (int k = 0; k < classes; k++) {
      p[k] /= sum;
    }
    return p;
  }
}
