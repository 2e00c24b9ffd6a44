package io.alfer.embed.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One model's ONNX Runtime session, opened once and closed when the model is retired. Input {@value
 * #INPUT} {@code [batch, 1, H, W]} float, outputs {@value #EMBEDDING} and, for classifiers, {@value
 * #LOGITS} (as written by alfer's ONNX exporter). Pixels are normalised as in training: {@code
 * (pixel / 255 - mean) / std} with mean and std from the model's metadata ({@value #MEAN_KEY},
 * {@value #STD_KEY}); probabilities are the softmax of the logits.
 *
 * <p>{@link #run} may be called from several threads; {@link #close} waits for calls in flight and
 * later calls fail with {@link ModelClosedException}.
 */
public final class ModelSession implements AutoCloseable {
  public static final String INPUT = "image";
  public static final String EMBEDDING = "embedding";
  public static final String LOGITS = "logits";
  public static final String MEAN_KEY = "alfer.normalization.mean";
  public static final String STD_KEY = "alfer.normalization.std";

  private final OrtEnvironment environment;
  private final String modelId;
  private final OrtSession session;
  private final OrtSession.SessionOptions options;
  private final String provider;
  private final int height;
  private final int width;
  private final int embeddingDim;
  private final int classes;
  private final float[] lut;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  private ModelSession(
      OrtEnvironment environment,
      String modelId,
      OrtSession session,
      OrtSession.SessionOptions options,
      String provider,
      int height,
      int width,
      int embeddingDim,
      int classes,
      float mean,
      float std) {
    this.environment = environment;
    this.modelId = modelId;
    this.session = session;
    this.options = options;
    this.provider = provider;
    this.height = height;
    this.width = width;
    this.embeddingDim = embeddingDim;
    this.classes = classes;
    this.lut = new float[256];
    for (int p = 0; p < 256; p++) {
      // exactly libs/ml's Normalization.apply(pixel / 255f)
      lut[p] = (p / 255f - mean) / std;
    }
  }

  /** Checks an opened session and takes ownership of it; closes both on refusal. */
  static ModelSession wrap(
      OrtEnvironment environment,
      String modelId,
      OrtSession session,
      OrtSession.SessionOptions options,
      boolean classifier,
      String provider) {
    try {
      long[] input = shape(session.getInputInfo(), INPUT, modelId, "input");
      if (input.length != 4 || input[1] != 1 || input[2] < 1 || input[3] < 1) {
        throw new InvalidModelException(
            "model " + modelId + ": input '" + INPUT + "' must be [batch, 1, H, W]");
      }
      if (input[2] != input[3]) {
        throw new InvalidModelException(
            "model %s: input is %dx%d; alfer images are square"
                .formatted(modelId, input[3], input[2]));
      }
      Map<String, NodeInfo> outputs = session.getOutputInfo();
      long[] embedding = shape(outputs, EMBEDDING, modelId, "output");
      int classes = 0;
      if (classifier) {
        long[] logits = shape(outputs, LOGITS, modelId, "output");
        classes = (int) logits[logits.length - 1];
      }
      Map<String, String> metadata = session.getMetadata().getCustomMetadata();
      float mean = number(metadata, MEAN_KEY, modelId);
      float std = number(metadata, STD_KEY, modelId);
      if (!(std > 0)) {
        throw new InvalidModelException("model " + modelId + ": normalisation std must be > 0");
      }
      return new ModelSession(
          environment,
          modelId,
          session,
          options,
          provider,
          (int) input[2],
          (int) input[3],
          (int) embedding[embedding.length - 1],
          classes,
          mean,
          std);
    } catch (OrtException | RuntimeException e) {
      closeQuietly(session);
      options.close();
      if (e instanceof InvalidModelException invalid) {
        throw invalid;
      }
      throw new InvalidModelException("model " + modelId + ": " + e.getMessage(), e);
    }
  }

  private static long[] shape(
      Map<String, NodeInfo> nodes, String name, String modelId, String role) {
    NodeInfo node = nodes.get(name);
    if (node == null || !(node.getInfo() instanceof TensorInfo tensor)) {
      throw new InvalidModelException(
          "model %s has no tensor %s '%s' (it has %s)"
              .formatted(modelId, role, name, nodes.keySet()));
    }
    long[] shape = tensor.getShape();
    if (shape.length < 2 || shape[shape.length - 1] < 1) {
      throw new InvalidModelException(
          "model %s: %s '%s' has no fixed last dimension".formatted(modelId, role, name));
    }
    return shape;
  }

  private static float number(Map<String, String> metadata, String key, String modelId) {
    String value = metadata.get(key);
    if (value == null) {
      throw new InvalidModelException(
          "model " + modelId + " has no '" + key + "' metadata (how to normalise pixels)");
    }
    try {
      float f = Float.parseFloat(value);
      if (!Float.isFinite(f)) {
        throw new NumberFormatException("not finite");
      }
      return f;
    } catch (NumberFormatException e) {
      throw new InvalidModelException(
          "model " + modelId + ": metadata '" + key + "' is not a number: " + value);
    }
  }

  public String modelId() {
    return modelId;
  }

  /** Execution provider running this session: cpu or cuda. */
  public String provider() {
    return provider;
  }

  /** Input height in pixels. */
  public int height() {
    return height;
  }

  /** Input width in pixels. */
  public int width() {
    return width;
  }

  /** Columns of the embedding matrix. */
  public int embeddingDim() {
    return embeddingDim;
  }

  /** Columns of the probability matrix; 0 for encoders. */
  public int classes() {
    return classes;
  }

  /**
   * Runs the model on {@code rows} images of {@code height × width} gray pixels packed row-major in
   * {@code pixels}.
   *
   * @throws ModelClosedException when the session was closed
   */
  public BatchOutput run(byte[] pixels, int rows) {
    int area = height * width;
    if (rows < 1 || pixels.length < rows * area) {
      throw new IllegalArgumentException(
          "need " + rows + " images of " + area + " pixels, got " + pixels.length + " bytes");
    }
    FloatBuffer input =
        ByteBuffer.allocateDirect(rows * area * Float.BYTES)
            .order(ByteOrder.nativeOrder())
            .asFloatBuffer();
    for (int i = 0; i < rows * area; i++) {
      input.put(lut[pixels[i] & 0xFF]);
    }
    input.rewind();
    lock.readLock().lock();
    try {
      if (closed) {
        throw new ModelClosedException(modelId);
      }
      try (OnnxTensor tensor =
              OnnxTensor.createTensor(environment, input, new long[] {rows, 1, height, width});
          OrtSession.Result result = session.run(Map.of(INPUT, tensor))) {
        float[] embeddings = floats(result, EMBEDDING, rows * embeddingDim);
        float[] probabilities =
            classes == 0 ? new float[0] : softmax(floats(result, LOGITS, rows * classes), classes);
        return new BatchOutput(rows, embeddings, probabilities);
      } catch (OrtException e) {
        throw new IllegalStateException("model " + modelId + " failed: " + e.getMessage(), e);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  private float[] floats(OrtSession.Result result, String name, int expected) {
    OnnxValue value =
        result
            .get(name)
            .orElseThrow(() -> new IllegalStateException("model " + modelId + ": no " + name));
    FloatBuffer buffer = ((OnnxTensor) value).getFloatBuffer();
    if (buffer.remaining() != expected) {
      throw new IllegalStateException(
          "model %s: %s has %d values, expected %d"
              .formatted(modelId, name, buffer.remaining(), expected));
    }
    float[] out = new float[expected];
    buffer.get(out);
    return out;
  }

  /** Row-wise softmax, in place; numerically stable (the row maximum is subtracted first). */
  static float[] softmax(float[] logits, int columns) {
    for (int row = 0; row < logits.length; row += columns) {
      float max = Float.NEGATIVE_INFINITY;
      for (int k = 0; k < columns; k++) {
        max = Math.max(max, logits[row + k]);
      }
      double sum = 0;
      for (int k = 0; k < columns; k++) {
        double e = Math.exp(logits[row + k] - max);
        logits[row + k] = (float) e;
        sum += e;
      }
      for (int k = 0; k < columns; k++) {
        logits[row + k] = (float) (logits[row + k] / sum);
      }
    }
    return logits;
  }

  /** Whether {@link #close} has run. */
  public boolean isClosed() {
    lock.readLock().lock();
    try {
      return closed;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Waits for calls in flight, then releases the native session and its options. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      closeQuietly(session);
      options.close();
    } finally {
      lock.writeLock().unlock();
    }
  }

  private static void closeQuietly(OrtSession session) {
    try {
      session.close();
    } catch (OrtException e) {
      // the native session is gone either way; nothing else holds it
    }
  }
}
