package io.alfer.ml.finetune;

/**
 * Accuracy of a classifier on a labelled split.
 *
 * @param top1 fraction of images whose arg-max class is their label
 * @param perClassAccuracy accuracy within each class (NaN for a class without images)
 * @param perClassCount images of each class
 * @param confusion confusion[label][predicted] counts
 */
public record Evaluation(
    double top1, double[] perClassAccuracy, int[] perClassCount, int[][] confusion) {

  /** The mean of the per-class accuracies over classes that have images. */
  public double meanPerClassAccuracy() {
    double sum = 0;
    int classes = 0;
    for (int k = 0; k < perClassAccuracy.length; k++) {
      if (perClassCount[k] > 0) {
        sum += perClassAccuracy[k];
        classes++;
      }
    }
    return classes == 0 ? Double.NaN : sum / classes;
  }
}
