package io.alfer.ml.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** SimCLR's MLP projection head (linear, ReLU, linear); used in pre-training only, then dropped. */
public final class ProjectionHead extends AbstractBlock {
  private final Linear hidden;
  private final Linear output;
  private final int hiddenSize;

  public ProjectionHead(int hiddenSize, int outputSize) {
    if (hiddenSize <= 0 || outputSize <= 0) {
      throw new IllegalArgumentException(
          "projection sizes must be positive, got " + hiddenSize + " and " + outputSize);
    }
    this.hiddenSize = hiddenSize;
    this.hidden = addChildBlock("hidden", Linear.builder().setUnits(hiddenSize).build());
    this.output = addChildBlock("output", Linear.builder().setUnits(outputSize).build());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList h = hidden.forward(store, inputs, training);
    return output.forward(store, new NDList(Activation.relu(h.singletonOrThrow())), training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return output.getOutputShapes(new Shape[] {new Shape(inputShapes[0].get(0), hiddenSize)});
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    hidden.initialize(manager, dataType, inputShapes);
    output.initialize(manager, dataType, hidden.getOutputShapes(inputShapes));
  }
}
