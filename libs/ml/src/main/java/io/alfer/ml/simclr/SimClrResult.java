package io.alfer.ml.simclr;

import io.alfer.ml.model.EncoderModel;

/**
 * The outcome of pre-training; closing it closes the encoder.
 *
 * @param encoder the pre-trained encoder (projection head dropped)
 * @param epochLosses mean NT-Xent loss of each epoch run in this call
 */
public record SimClrResult(EncoderModel encoder, double[] epochLosses) implements AutoCloseable {
  @Override
  public void close() {
    encoder.close();
  }
}
