package io.alfer.ml.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * An encoder, a dropout layer and a linear head. Output: (embedding, logits). Dropout is active in
 * training mode only; MC-dropout (BALD) samples it by running the head in training mode.
 */
public final class ClassifierNetwork extends AbstractBlock {
  private final EncoderNetwork encoder;
  private final Dropout dropout;
  private final Linear head;
  private final int classes;
  private final float dropoutRate;

  public ClassifierNetwork(EncoderSpec spec, int classes, float dropoutRate) {
    if (classes < 2) {
      throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + classes);
    }
    if (dropoutRate < 0 || dropoutRate >= 1) {
      throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + dropoutRate);
    }
    this.classes = classes;
    this.dropoutRate = dropoutRate;
    this.encoder = addChildBlock("encoder", new EncoderNetwork(spec));
    this.dropout = addChildBlock("dropout", Dropout.builder().optRate(dropoutRate).build());
    this.head = addChildBlock("head", Linear.builder().setUnits(classes).build());
  }

  public EncoderNetwork encoder() {
    return encoder;
  }

  public int classes() {
    return classes;
  }

  /**
   * The prefix of every encoder parameter's path in {@link #getParameters()} (the block tree's
   * naming: a child's name, then {@code _}).
   */
  public String encoderPrefix() {
    return getChildren().stream()
            .filter(child -> child.getValue() == encoder)
            .findFirst()
            .orElseThrow()
            .getKey()
        + "_";
  }

  public float dropoutRate() {
    return dropoutRate;
  }

  /** The head's weight, shape (classes, embedding). */
  public Parameter headWeight() {
    return head.getParameters().get("weight");
  }

  /** The head's bias, shape (classes). */
  public Parameter headBias() {
    return head.getParameters().get("bias");
  }

  /** Logits from embeddings, with dropout sampled when {@code training} is true. */
  public NDArray logits(ParameterStore store, NDArray embedding, boolean training) {
    NDList dropped = dropout.forward(store, new NDList(embedding), training);
    return head.forward(store, dropped, training).singletonOrThrow();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray embedding = encoder.forward(store, inputs, training).singletonOrThrow();
    return new NDList(embedding, logits(store, embedding, training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long batch = inputShapes[0].get(0);
    return new Shape[] {
      new Shape(batch, encoder.spec().embeddingSize()), new Shape(batch, classes)
    };
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    encoder.initialize(manager, dataType, inputShapes);
    Shape[] embedding = encoder.getOutputShapes(inputShapes);
    dropout.initialize(manager, dataType, embedding);
    head.initialize(manager, dataType, embedding);
  }
}
