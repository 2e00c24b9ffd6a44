package io.alfer.ml.simclr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.alfer.ml.data.PackedImages;
import io.alfer.ml.model.EncoderModel;
import io.alfer.ml.model.NetworkModel;
import java.util.Arrays;

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

  /**
   * The encoder's embeddings of every image, in inference mode (batch-norm running statistics),
   * {@code batchSize} images at a time. Changes nothing in the model: training goes on exactly as
   * without it.
   */
  float[][] embed(PackedImages images, int batchSize) {
    requireImageSize(images);
    int d = config.encoder().embeddingSize();
    float[][] out = new float[images.size()][];
    ParameterStore store = parameterStore();
    for (int from = 0; from < images.size(); from += batchSize) {
      int to = Math.min(images.size(), from + batchSize);
      try (NDManager scratch = manager().newSubManager()) {
        NDArray input = inputs(scratch, images, from, to);
        NDArray embedding =
            network().encoder().forward(store, new NDList(input), false).singletonOrThrow();
        float[] flat = embedding.toFloatArray();
        for (int i = from; i < to; i++) {
          out[i] = Arrays.copyOfRange(flat, (i - from) * d, (i - from + 1) * d);
        }
      }
    }
    return out;
  }

  @Override
  protected String describe() {
    return "SimCLR network " + config.encoder() + " at " + height() + "×" + width();
  }
}
