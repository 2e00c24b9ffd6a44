package io.alfer.al;

/** The kinds of per-pool data a strategy may need; see {@link SelectionStrategy#requires()}. */
public enum Input {
  /** Encoder embeddings, one row per pool item ({@link Pool#embeddings()}). */
  EMBEDDINGS,
  /** Class probabilities of the current model, one row per pool item. */
  PROBABILITIES,
  /** The classifier head's weights and bias ({@link LinearHead}). */
  HEAD,
  /** DeepFool minimal perturbation sizes computed by the trainer, one per pool item. */
  PERTURBATIONS,
  /** Class indices of the labelled items ({@link Pool#labels()}). */
  LABELS
}
