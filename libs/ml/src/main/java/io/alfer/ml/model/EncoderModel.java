package io.alfer.ml.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.alfer.ml.data.Normalization;
import io.alfer.ml.data.PackedImages;
import java.util.Arrays;

/** An encoder with its parameters: images in, embeddings out. */
public final class EncoderModel extends NetworkModel<EncoderNetwork> {

  private EncoderModel(EncoderSpec spec, int height, int width, Normalization norm, long seed) {
    super(new EncoderNetwork(spec), height, width, norm, seed);
  }

  /** A freshly initialised encoder; the seed fixes the initial weights. */
  public static EncoderModel create(
      EncoderSpec spec, int height, int width, Normalization normalization, long seed) {
    return new EncoderModel(spec, height, width, normalization, seed);
  }

  /** An encoder with the given parameters (from {@link #parameterBytes()}). */
  public static EncoderModel fromParameters(
      EncoderSpec spec, int height, int width, Normalization normalization, byte[] parameters) {
    EncoderModel model = new EncoderModel(spec, height, width, normalization, 0);
    try {
      model.loadParameterBytes(parameters);
      return model;
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  public EncoderSpec spec() {
    return network().spec();
  }

  /** Embeddings of every image, in inference mode, {@code batchSize} images at a time. */
  public float[][] embed(PackedImages images, int batchSize) {
    float[][] out = new float[images.size()][];
    for (int from = 0; from < images.size(); from += batchSize) {
      int to = Math.min(images.size(), from + batchSize);
      try (NDManager scratch = manager().newSubManager()) {
        NDArray embedding = infer(inputs(scratch, images, from, to)).singletonOrThrow();
        float[] flat = embedding.toFloatArray();
        int d = spec().embeddingSize();
        for (int i = from; i < to; i++) {
          out[i] = Arrays.copyOfRange(flat, (i - from) * d, (i - from + 1) * d);
        }
      }
    }
    return out;
  }

  @Override
  protected String describe() {
    return "encoder " + spec() + " at " + height() + "×" + width();
  }
}
