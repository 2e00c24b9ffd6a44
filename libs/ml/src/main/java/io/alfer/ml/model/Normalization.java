package io.alfer.ml.model;

/**
 * How pixels become network inputs: {@code (pixel / 255 - mean) / std}. Stored in checkpoints so
 * that inference normalises exactly as training did.
 */
public record Normalization(float mean, float std) {
  /** Mean 0.5, std 0.5: maps [0, 255] to [-1, 1]. */
  public static final Normalization SYMMETRIC = new Normalization(0.5f, 0.5f);

  public Normalization {
    if (!(std > 0) || !Float.isFinite(mean)) {
      throw new IllegalArgumentException(
          "normalisation needs a finite mean and a positive std, got " + mean + ", " + std);
    }
  }

  /** Normalises a value already scaled to [0, 1]. */
  public float apply(float unit) {
    return (unit - mean) / std;
  }
}
