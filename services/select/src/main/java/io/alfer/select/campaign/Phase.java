package io.alfer.select.campaign;

import java.util.Locale;

/** Where a campaign's loop stands. */
public enum Phase {
  /** Choosing the next batch (round 0: the initial set; later: the strategy on scores). */
  SELECTING,
  /** The batch is out with the label service; waiting for every label. */
  LABELLING,
  /** Fine-tuning asked of the trainer; waiting for the round's classifier. */
  TRAINING,
  /** The classifier is evaluated; waiting for its pool embeddings and probabilities. */
  SCORING,
  /** Completed, cancelled or failed. */
  DONE;

  /** The lower-case name the API uses. */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
