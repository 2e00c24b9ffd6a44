package io.alfer.ml.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Applies SGD-with-momentum (PyTorch's rule: v = μv + g + λw; w -= lr·v) or AdamW to trainable
 * parameters after a backward pass. Its state (momentum buffers, Adam moments, step count) can be
 * saved and restored, so a resumed run continues exactly where it stopped.
 */
public final class ParameterUpdater implements AutoCloseable {
  private static final double ADAM_BETA2 = 0.999;
  private static final double ADAM_EPSILON = 1e-8;

  private final OptimizerConfig config;
  private final NDManager stateManager;
  private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
  private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
  private long steps;

  public ParameterUpdater(OptimizerConfig config, NDManager manager) {
    this.config = config;
    this.stateManager = manager.newSubManager();
  }

  /** Optimizer steps taken so far. */
  public long steps() {
    return steps;
  }

  /**
   * Updates every parameter that requires a gradient, with learning rate {@code rate}. State is
   * keyed by the parameter's path in the block tree, so it survives rebuilding the network.
   */
  public void update(ParameterList parameters, double rate) {
    update(parameters, path -> rate);
  }

  /**
   * Updates every parameter that requires a gradient, each with the learning rate {@code rateOf}
   * gives for its path (parameter groups, e.g. a lower rate for a pre-trained encoder). A parameter
   * whose rate is 0 is left entirely alone: its momentum does not gather the gradient, so it starts
   * fresh when its rate turns positive.
   */
  public void update(ParameterList parameters, ToDoubleFunction<String> rateOf) {
    steps++;
    for (Pair<String, Parameter> named : parameters) {
      Parameter p = named.getValue();
      double rate = rateOf.applyAsDouble(named.getKey());
      if (!p.requiresGradient() || rate == 0) {
        continue;
      }
      NDArray weight = p.getArray();
      NDArray grad = weight.getGradient();
      if (config.kind() == OptimizerConfig.Kind.SGD) {
        sgd(named.getKey(), weight, grad, rate);
      } else {
        adamW(named.getKey(), weight, grad, rate);
      }
    }
  }

  private NDArray state(Map<String, NDArray> moments, String id, NDArray like) {
    NDArray state = moments.get(id);
    if (state == null) {
      state = stateManager.zeros(like.getShape(), like.getDataType());
      NDScope.unregister(state);
      moments.put(id, state);
    }
    return state;
  }

  private void sgd(String id, NDArray weight, NDArray grad, double rate) {
    NDArray g = config.weightDecay() == 0 ? grad : grad.add(weight.mul(config.weightDecay()));
    NDArray velocity = state(firstMoments, id, weight);
    velocity.muli(config.momentum()).addi(g);
    weight.subi(velocity.mul(rate));
  }

  private void adamW(String id, NDArray weight, NDArray grad, double rate) {
    NDArray m = state(firstMoments, id, weight);
    NDArray v = state(secondMoments, id, weight);
    double beta1 = config.momentum();
    m.muli(beta1).addi(grad.mul(1 - beta1));
    v.muli(ADAM_BETA2).addi(grad.square().mul(1 - ADAM_BETA2));
    double correction1 = 1 - Math.pow(beta1, steps);
    double correction2 = 1 - Math.pow(ADAM_BETA2, steps);
    NDArray denom = v.div(correction2).sqrt().add(ADAM_EPSILON);
    NDArray step = m.div(correction1).div(denom);
    if (config.weightDecay() != 0) {
      step = step.add(weight.mul(config.weightDecay()));
    }
    weight.subi(step.mul(rate));
  }

  /** The step count and every moment buffer, as bytes. */
  public byte[] stateBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      save(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Restores what {@link #stateBytes()} returned. */
  public void loadStateBytes(byte[] state) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
      load(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("corrupt optimizer state: " + e.getMessage(), e);
    }
  }

  private void save(DataOutputStream out) throws IOException {
    out.writeLong(steps);
    writeMoments(out, firstMoments);
    writeMoments(out, secondMoments);
  }

  private void load(DataInputStream in) throws IOException {
    steps = in.readLong();
    readMoments(in, firstMoments);
    readMoments(in, secondMoments);
  }

  private static void writeMoments(DataOutputStream out, Map<String, NDArray> moments)
      throws IOException {
    out.writeInt(moments.size());
    for (Map.Entry<String, NDArray> e : moments.entrySet()) {
      out.writeUTF(e.getKey());
      byte[] encoded = e.getValue().encode();
      out.writeInt(encoded.length);
      out.write(encoded);
    }
  }

  private void readMoments(DataInputStream in, Map<String, NDArray> moments) throws IOException {
    moments.values().forEach(NDArray::close);
    moments.clear();
    int count = in.readInt();
    for (int i = 0; i < count; i++) {
      String id = in.readUTF();
      byte[] encoded = new byte[in.readInt()];
      in.readFully(encoded);
      NDArray state = NDArray.decode(stateManager, encoded);
      NDScope.unregister(state);
      moments.put(id, state);
    }
  }

  @Override
  public void close() {
    stateManager.close();
  }
}
