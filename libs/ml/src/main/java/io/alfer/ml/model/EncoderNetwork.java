package io.alfer.ml.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The encoder built from an {@link EncoderSpec}: input (N, 1, H, W), output the embedding (N, D).
 * Its layers are typed ({@link ConvBn}, {@link ResidualBlock}) so that the ONNX exporter can walk
 * them.
 */
public final class EncoderNetwork extends AbstractBlock {
  private final EncoderSpec spec;
  private final ConvBn stem;
  private final List<ResidualBlock> blocks = new ArrayList<>();

  public EncoderNetwork(EncoderSpec spec) {
    this.spec = spec;
    this.stem = addChildBlock("stem", new ConvBn(spec.stemChannels(), 3, 1, true));
    int in = spec.stemChannels();
    for (int s = 0; s < spec.stages(); s++) {
      int out = spec.stageChannels(s);
      for (int b = 0; b < spec.blocksInStage(s); b++) {
        int stride = s > 0 && b == 0 ? 2 : 1;
        blocks.add(addChildBlock("stage" + s + "_block" + b, new ResidualBlock(in, out, stride)));
        in = out;
      }
    }
  }

  public EncoderSpec spec() {
    return spec;
  }

  public ConvBn stem() {
    return stem;
  }

  /** The residual blocks in order. */
  public List<ResidualBlock> residualBlocks() {
    return List.copyOf(blocks);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList x = stem.forward(store, inputs, training);
    for (ResidualBlock block : blocks) {
      x = block.forward(store, x, training);
    }
    NDArray features = x.singletonOrThrow();
    return new NDList(features.mean(new int[] {3}).mean(new int[] {2}));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), spec.embeddingSize())};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape[] shapes = inputShapes;
    stem.initialize(manager, dataType, shapes);
    shapes = stem.getOutputShapes(shapes);
    for (ResidualBlock block : blocks) {
      block.initialize(manager, dataType, shapes);
      shapes = block.getOutputShapes(shapes);
    }
  }
}
