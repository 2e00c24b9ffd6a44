package io.alfer.ml.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Optional;

/**
 * A basic residual block: relu(bn(conv3×3(relu(bn(conv3×3(x))))) + shortcut(x)); the shortcut is a
 * 1×1 convolution with batch norm when the stride or the width changes, else the identity.
 */
public final class ResidualBlock extends AbstractBlock {
  private final ConvBn first;
  private final ConvBn second;
  private final ConvBn shortcut;

  /**
   * @param inChannels input channels
   * @param outChannels output channels
   * @param stride stride of the first convolution (2 halves the resolution)
   */
  public ResidualBlock(int inChannels, int outChannels, int stride) {
    this.first = addChildBlock("conv1", new ConvBn(outChannels, 3, stride, true));
    this.second = addChildBlock("conv2", new ConvBn(outChannels, 3, 1, false));
    this.shortcut =
        stride != 1 || inChannels != outChannels
            ? addChildBlock("shortcut", new ConvBn(outChannels, 1, stride, false))
            : null;
  }

  public ConvBn first() {
    return first;
  }

  public ConvBn second() {
    return second;
  }

  /** The projection shortcut, or empty for the identity. */
  public Optional<ConvBn> shortcut() {
    return Optional.ofNullable(shortcut);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray residual =
        second.forward(store, first.forward(store, inputs, training), training).singletonOrThrow();
    NDArray identity =
        shortcut == null
            ? inputs.singletonOrThrow()
            : shortcut.forward(store, inputs, training).singletonOrThrow();
    return new NDList(Activation.relu(residual.add(identity)));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return first.getOutputShapes(inputShapes);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    first.initialize(manager, dataType, inputShapes);
    second.initialize(manager, dataType, first.getOutputShapes(inputShapes));
    if (shortcut != null) {
      shortcut.initialize(manager, dataType, inputShapes);
    }
  }
}
