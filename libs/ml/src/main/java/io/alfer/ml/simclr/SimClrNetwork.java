package io.alfer.ml.simclr;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.alfer.ml.model.EncoderNetwork;
import io.alfer.ml.model.EncoderSpec;
import io.alfer.ml.model.ProjectionHead;

/** The pre-training network: encoder then projection head; output the projections (N, p). */
final class SimClrNetwork extends AbstractBlock {
  private final EncoderNetwork encoder;
  private final ProjectionHead projection;

  SimClrNetwork(EncoderSpec spec, int projectionHidden, int projectionOutput) {
    this.encoder = addChildBlock("encoder", new EncoderNetwork(spec));
    this.projection =
        addChildBlock("projection", new ProjectionHead(projectionHidden, projectionOutput));
  }

  EncoderNetwork encoder() {
    return encoder;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    return projection.forward(store, encoder.forward(store, inputs, training), training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return projection.getOutputShapes(encoder.getOutputShapes(inputShapes));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    encoder.initialize(manager, dataType, inputShapes);
    projection.initialize(manager, dataType, encoder.getOutputShapes(inputShapes));
  }
}
