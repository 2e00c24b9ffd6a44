package io.alfer.ml.simclr;

import io.alfer.ml.model.EncoderModel;
import io.alfer.ml.model.NetworkModel;

/** The encoder and projection head being pre-trained. */
final class SimClrModel extends NetworkModel<SimClrNetwork> {
  private final SimClrConfig config;

  SimClrModel(SimClrConfig config, int height, int width) {
    super(
        new SimClrNetwork(config.encoder(), config.projectionHidden(), config.projectionOutput()),
        height,
        width,
        config.normalization(),
        config.seed());
    this.config = config;
  }

  /** The encoder alone, as a new model (the projection head is dropped). */
  EncoderModel detachEncoder() {
    return EncoderModel.fromParameters(
        config.encoder(),
        height(),
        width(),
        config.normalization(),
        parameterBytes(network().encoder()));
  }

  @Override
  protected String describe() {
    return "SimCLR network " + config.encoder() + " at " + height() + "×" + width();
  }
}
