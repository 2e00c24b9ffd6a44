package io.alfer.ml.checkpoint;

/** What a checkpoint holds. */
public enum ModelKind {
  /** An encoder alone (SimCLR pre-training). */
  ENCODER,
  /** Encoder, dropout and linear head (a round's fine-tuning). */
  CLASSIFIER
}
