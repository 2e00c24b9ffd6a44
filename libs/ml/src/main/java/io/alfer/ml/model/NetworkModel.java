package io.alfer.ml.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.alfer.ml.data.Batches;
import io.alfer.ml.data.Normalization;
import io.alfer.ml.data.PackedImages;
import io.alfer.ml.data.Seeds;
import io.alfer.ml.engine.EngineSetup;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A network with its parameters, input size and normalisation. Owns the native memory of its
 * parameters: close it when done.
 *
 * @param <B> the network's block type
 */
public abstract class NetworkModel<B extends AbstractBlock> implements AutoCloseable {
  private static final Object SEED_LOCK = new Object();

  static {
    EngineSetup.prepare(); // before the engine's first allocation
  }

  private final NDManager manager;
  private final B network;
  private final int height;
  private final int width;
  private final Normalization normalization;

  protected NetworkModel(B network, int height, int width, Normalization normalization, long seed) {
    if (height < 8 || width < 8) {
      throw new IllegalArgumentException("input must be at least 8×8, got " + height + "×" + width);
    }
    this.manager = NDManager.newBaseManager();
    this.network = network;
    this.height = height;
    this.width = width;
    this.normalization = normalization;
    synchronized (SEED_LOCK) {
      // The engine's generator is global: seeding and initialising must not interleave.
      Seeds.seedEngine(seed);
      network.initialize(manager, DataType.FLOAT32, new Shape(1, 1, height, width));
    }
  }

  public B network() {
    return network;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  public Normalization normalization() {
    return normalization;
  }

  /** The manager that owns the parameters; arrays made from it live as long as the model. */
  public NDManager manager() {
    return manager;
  }

  /** A parameter store for forward passes on this model's device. */
  public ParameterStore parameterStore() {
    return new ParameterStore(manager, false);
  }

  /** Every parameter (running statistics included) in DJL's parameter format. */
  public byte[] parameterBytes() {
    return parameterBytes(network);
  }

  /** The parameters of one block of the network, in DJL's parameter format. */
  protected static byte[] parameterBytes(Block block) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      block.saveParameters(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise parameters", e);
    }
    return bytes.toByteArray();
  }

  /** Replaces every parameter with those of {@link #parameterBytes()} from an identical network. */
  public void loadParameterBytes(byte[] parameters) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(parameters))) {
      network.loadParameters(manager, in);
    } catch (IOException | MalformedModelException e) {
      throw new IllegalArgumentException(
          "parameters do not fit this network (" + describe() + "): " + e.getMessage(), e);
    }
  }

  /** Forward pass in inference mode (batch-norm running statistics, no dropout). */
  public NDList infer(NDArray input) {
    requireInputShape(input.getShape());
    return network.forward(parameterStore(), new NDList(input), false);
  }

  /** Normalised inputs (B, 1, H, W) for images {@code from..to} of a set of this model's size. */
  public NDArray inputs(NDManager target, PackedImages images, int from, int to) {
    requireImageSize(images);
    return Batches.range(target, images, from, to, normalization);
  }

  /** Fails unless the images have this model's input size. */
  public void requireImageSize(PackedImages images) {
    if (images.height() != height || images.width() != width) {
      throw new IllegalArgumentException(
          "model expects "
              + height
              + "×"
              + width
              + " images, got "
              + images.height()
              + "×"
              + images.width());
    }
  }

  private void requireInputShape(Shape shape) {
    if (shape.dimension() != 4
        || shape.get(1) != 1
        || shape.get(2) != height
        || shape.get(3) != width) {
      throw new IllegalArgumentException(
          "model expects input (N, 1, " + height + ", " + width + "), got " + shape);
    }
  }

  /** A short description for error messages. */
  protected abstract String describe();

  @Override
  public void close() {
    manager.close();
  }
}
