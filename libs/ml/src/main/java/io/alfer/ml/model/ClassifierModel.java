package io.alfer.ml.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.alfer.ml.data.Normalization;
import io.alfer.ml.data.PackedImages;
import io.alfer.ml.data.Seeds;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;

/** A classifier (encoder, dropout, linear head) with its parameters. */
public final class ClassifierModel extends NetworkModel<ClassifierNetwork> {
  private boolean pretrainedEncoder;

  private ClassifierModel(
      EncoderSpec spec,
      int height,
      int width,
      Normalization norm,
      int classes,
      float dropout,
      long seed) {
    super(new ClassifierNetwork(spec, classes, dropout), height, width, norm, seed);
  }

  /**
   * A classifier whose encoder starts from {@code pretrained}'s weights and whose head is freshly
   * initialised (the seed fixes it).
   */
  public static ClassifierModel fromEncoder(
      EncoderModel pretrained, int classes, float dropout, long seed) {
    ClassifierModel model =
        new ClassifierModel(
            pretrained.spec(),
            pretrained.height(),
            pretrained.width(),
            pretrained.normalization(),
            classes,
            dropout,
            seed);
    try {
      model.loadEncoderParameters(pretrained.parameterBytes());
      model.pretrainedEncoder = true;
      return model;
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** A classifier trained from scratch: encoder and head freshly initialised from the seed. */
  public static ClassifierModel fromScratch(
      EncoderSpec spec,
      int height,
      int width,
      Normalization normalization,
      int classes,
      float dropout,
      long seed) {
    return new ClassifierModel(spec, height, width, normalization, classes, dropout, seed);
  }

  /** A classifier with the given parameters (from {@link #parameterBytes()}). */
  public static ClassifierModel fromParameters(
      EncoderSpec spec,
      int height,
      int width,
      Normalization normalization,
      int classes,
      float dropout,
      byte[] parameters) {
    ClassifierModel model =
        new ClassifierModel(spec, height, width, normalization, classes, dropout, 0);
    try {
      model.loadParameterBytes(parameters);
      return model;
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * Whether the encoder started from pre-trained weights ({@link #fromEncoder}), which fine-tuning
   * treats differently from a network trained from scratch.
   */
  public boolean hasPretrainedEncoder() {
    return pretrainedEncoder;
  }

  /** Whether the parameter at this path (in {@code network().getParameters()}) is the encoder's. */
  public boolean isEncoderParameter(String path) {
    return path.startsWith(network().encoderPrefix());
  }

  /** Replaces the encoder's parameters with an encoder's {@link #parameterBytes()}. */
  public void loadEncoderParameters(byte[] encoderParameters) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoderParameters))) {
      network().encoder().loadParameters(manager(), in);
    } catch (IOException | MalformedModelException e) {
      throw new IllegalArgumentException(
          "encoder parameters do not fit " + spec() + ": " + e.getMessage(), e);
    }
  }

  /** The encoder's parameters alone, in the form {@link EncoderModel} loads. */
  public byte[] encoderParameterBytes() {
    return parameterBytes(network().encoder());
  }

  public EncoderSpec spec() {
    return network().encoder().spec();
  }

  public int classes() {
    return network().classes();
  }

  /**
   * The linear head's weights W, {@code classes × embedding} row-major: {@code logits = W·e + b}
   * for an embedding e (the dropout before the head is the identity at inference).
   */
  public float[] headWeights() {
    return network().headWeight().getArray().toFloatArray();
  }

  /** The linear head's bias b, one value per class. */
  public float[] headBias() {
    return network().headBias().getArray().toFloatArray();
  }

  /** Embeddings and logits of every image, in inference mode. */
  public Predictions predict(PackedImages images, int batchSize) {
    int d = spec().embeddingSize();
    int c = classes();
    float[] embeddings = new float[images.size() * d];
    float[] logits = new float[images.size() * c];
    for (int from = 0; from < images.size(); from += batchSize) {
      int to = Math.min(images.size(), from + batchSize);
      try (NDManager scratch = manager().newSubManager()) {
        NDList out = infer(inputs(scratch, images, from, to));
        System.arraycopy(out.get(0).toFloatArray(), 0, embeddings, from * d, (to - from) * d);
        System.arraycopy(out.get(1).toFloatArray(), 0, logits, from * c, (to - from) * c);
      }
    }
    return new Predictions(images.size(), d, c, embeddings, logits);
  }

  /**
   * MC dropout (for BALD): the logits of every image under {@code samples} independent dropout
   * masks, the encoder in inference mode. Element [s][i·classes + k] is sample s's logit of class k
   * for image i. The seed and the batch size fix the masks; sample s does not depend on how many
   * samples are drawn.
   */
  public float[][] mcDropoutLogits(PackedImages images, int samples, long seed, int batchSize) {
    if (samples < 1) {
      throw new IllegalArgumentException("MC dropout needs at least one sample, got " + samples);
    }
    if (network().dropoutRate() == 0) {
      throw new IllegalStateException("this classifier has no dropout to sample");
    }
    int c = classes();
    float[][] logits = new float[samples][images.size() * c];
    ParameterStore store = parameterStore();
    for (int from = 0; from < images.size(); from += batchSize) {
      int to = Math.min(images.size(), from + batchSize);
      try (NDManager scratch = manager().newSubManager()) {
        NDArray embedding = infer(inputs(scratch, images, from, to)).get(0);
        for (int s = 0; s < samples; s++) {
          Seeds.seedEngine(Seeds.derive(seed, from, s));
          float[] sampled = network().logits(store, embedding, true).toFloatArray();
          System.arraycopy(sampled, 0, logits[s], from * c, sampled.length);
        }
      }
    }
    return logits;
  }

  @Override
  protected String describe() {
    return "classifier "
        + spec()
        + " with "
        + classes()
        + " classes at "
        + height()
        + "×"
        + width();
  }
}
