package io.alfer.ml.simclr;

import io.alfer.ml.model.EncoderModel;
import java.util.OptionalDouble;

/**
 * The outcome of pre-training; closing it closes the encoder.
 *
 * @param encoder the pre-trained encoder (projection head dropped)
 * @param epochLosses mean NT-Xent loss of each epoch run in this call
 * @param epochKnnAccuracies k-NN accuracy on the probe set after each epoch run in this call (NaN
 *     for every epoch when the run had no probe)
 */
public record SimClrResult(EncoderModel encoder, double[] epochLosses, double[] epochKnnAccuracies)
    implements AutoCloseable {

  /** The k-NN accuracy after the last epoch run in this call, if it was measured. */
  public OptionalDouble finalKnnAccuracy() {
    int n = epochKnnAccuracies.length;
    return n == 0 || Double.isNaN(epochKnnAccuracies[n - 1])
        ? OptionalDouble.empty()
        : OptionalDouble.of(epochKnnAccuracies[n - 1]);
  }

  @Override
  public void close() {
    encoder.close();
  }
}
