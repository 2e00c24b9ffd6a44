package io.alfer.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.alfer.core.storage.Hashes;
import io.alfer.core.storage.Matrix;
import io.alfer.ml.data.PackedImages;
import io.alfer.ml.model.ClassifierModel;
import io.alfer.ml.model.Predictions;
import io.alfer.proto.v1.MatrixRef;
import io.alfer.testkit.S3TestResource;

/** Checks of a published classifier head against the classifier itself. */
final class Heads {
  private Heads() {}

  /**
   * The head object exists as announced, and softmax(W·embedding + b) with its rows gives the
   * classifier's own class probabilities on {@code images}.
   */
  static void assertMatches(MatrixRef ref, ClassifierModel classifier, PackedImages images) {
    int c = classifier.classes();
    int d = classifier.spec().embeddingSize();
    assertThat(ref.getRows()).isEqualTo(c);
    assertThat(ref.getCols()).isEqualTo(d + 1);
    byte[] bytes = S3TestResource.objectStore().get(ref.getObject().getKey());
    assertThat(ref.getObject().getKey()).endsWith("/head.f32");
    assertThat(ref.getObject().getSizeBytes()).isEqualTo(bytes.length);
    assertThat(ref.getObject().getSha256()).isEqualTo(Hashes.sha256Hex(bytes));
    Matrix head = Matrix.fromBytes(bytes);
    assertThat(head.rows()).isEqualTo(c);
    assertThat(head.cols()).isEqualTo(d + 1);
    Predictions predictions = classifier.predict(images, 64);
    for (int i = 0; i < images.size(); i++) {
      double[] logits = new double[c];
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < c; k++) {
        float[] row = head.row(k);
        logits[k] = row[d];
        for (int j = 0; j < d; j++) {
          logits[k] += (double) row[j] * predictions.embeddings()[i * d + j];
        }
        max = Math.max(max, logits[k]);
      }
      double sum = 0;
      for (int k = 0; k < c; k++) {
        sum += Math.exp(logits[k] - max);
      }
      double[] expected = predictions.probabilities(i);
      for (int k = 0; k < c; k++) {
        assertThat(Math.exp(logits[k] - max) / sum)
            .as("image %d class %d", i, k)
            .isCloseTo(expected[k], within(1e-5));
      }
    }
  }
}
