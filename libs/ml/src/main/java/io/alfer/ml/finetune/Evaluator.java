package io.alfer.ml.finetune;

import io.alfer.ml.data.PackedImages;
import io.alfer.ml.model.ClassifierModel;
import io.alfer.ml.model.Predictions;

/** Top-1 and per-class accuracy of a classifier on a held-out split (inference mode). */
public final class Evaluator {
  private Evaluator() {}

  /** Evaluates every image of {@code heldOut}, {@code batchSize} at a time. */
  public static Evaluation evaluate(ClassifierModel model, PackedImages heldOut, int batchSize) {
    if (heldOut.size() == 0) {
      throw new IllegalArgumentException("the held-out split is empty");
    }
    heldOut.requireLabels(model.classes());
    return fromPredictions(model.predict(heldOut, batchSize), heldOut.labels());
  }

  /** The evaluation of given predictions against labels. */
  public static Evaluation fromPredictions(Predictions predictions, int[] labels) {
    int classes = predictions.classes();
    int[][] confusion = new int[classes][classes];
    int correct = 0;
    for (int i = 0; i < labels.length; i++) {
      int predicted = predictions.predictedClass(i);
      confusion[labels[i]][predicted]++;
      if (predicted == labels[i]) {
        correct++;
      }
    }
    double[] perClass = new double[classes];
    int[] counts = new int[classes];
    for (int k = 0; k < classes; k++) {
      for (int p = 0; p < classes; p++) {
        counts[k] += confusion[k][p];
      }
      perClass[k] = counts[k] == 0 ? Double.NaN : (double) confusion[k][k] / counts[k];
    }
    return new Evaluation((double) correct / labels.length, perClass, counts, confusion);
  }
}
