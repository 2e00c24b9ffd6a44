package io.alfer.ml.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;

/**
 * A square convolution without bias, then batch normalisation, then (optionally) ReLU. Padding
 * keeps the size for stride 1 ("same" for odd kernels).
 */
public final class ConvBn extends AbstractBlock {
  /** Batch-norm epsilon; the ONNX export writes the same value. */
  public static final float BN_EPSILON = 1e-5f;

  private static final float BN_MOMENTUM = 0.9f;

  private final int kernel;
  private final int stride;
  private final int outChannels;
  private final boolean relu;
  private final Conv2d conv;
  private final BatchNorm norm;

  /**
   * @param outChannels output channels
   * @param kernel kernel size (odd)
   * @param stride stride in both directions
   * @param relu whether ReLU follows the normalisation
   */
  public ConvBn(int outChannels, int kernel, int stride, boolean relu) {
    if (kernel % 2 == 0) {
      throw new IllegalArgumentException("kernel size must be odd, got " + kernel);
    }
    this.kernel = kernel;
    this.stride = stride;
    this.outChannels = outChannels;
    this.relu = relu;
    this.conv =
        addChildBlock(
            "conv",
            Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding(), padding()))
                .setFilters(outChannels)
                .optBias(false)
                .build());
    this.norm =
        addChildBlock(
            "bn", BatchNorm.builder().optEpsilon(BN_EPSILON).optMomentum(BN_MOMENTUM).build());
    // He initialisation: suited to ReLU networks.
    conv.setInitializer(
        new XavierInitializer(
            XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2),
        Parameter.Type.WEIGHT);
  }

  public int kernel() {
    return kernel;
  }

  public int stride() {
    return stride;
  }

  public int padding() {
    return kernel / 2;
  }

  public int outChannels() {
    return outChannels;
  }

  public boolean hasRelu() {
    return relu;
  }

  /** The convolution weight, shape (out, in, k, k). */
  public Parameter convWeight() {
    return conv.getParameters().get("weight");
  }

  /** Batch-norm parameter of a type: GAMMA, BETA, RUNNING_MEAN or RUNNING_VAR. */
  public Parameter normParameter(Parameter.Type type) {
    return norm.getParameters().values().stream()
        .filter(p -> p.getType() == type)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("batch norm has no " + type + " parameter"));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList out = norm.forward(store, conv.forward(store, inputs, training), training);
    return relu ? new NDList(Activation.relu(out.singletonOrThrow())) : out;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return conv.getOutputShapes(inputShapes);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    conv.initialize(manager, dataType, inputShapes);
    norm.initialize(manager, dataType, conv.getOutputShapes(inputShapes));
  }
}
