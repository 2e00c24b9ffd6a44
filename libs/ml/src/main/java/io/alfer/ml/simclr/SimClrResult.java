package io.alfer.ml.simclr;

import io.alfer.ml.eval.RepresentationQuality;
import io.alfer.ml.model.EncoderModel;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of pre-training; closing it closes the encoder.
 *
 * @param encoder the pre-trained encoder (projection head dropped)
 * @param epochLosses mean NT-Xent loss of each epoch run in this call
 * @param epochQualities the representation's quality after each epoch run in this call (empty when
 *     the run had no probe)
 */
public record SimClrResult(
    EncoderModel encoder, double[] epochLosses, List<RepresentationQuality> epochQualities)
    implements AutoCloseable {

  /** The quality after the last epoch run in this call, if it was measured. */
  public Optional<RepresentationQuality> finalQuality() {
    return epochQualities.isEmpty()
        ? Optional.empty()
        : Optional.of(epochQualities.get(epochQualities.size() - 1));
  }

  @Override
  public void close() {
    encoder.close();
  }
}
