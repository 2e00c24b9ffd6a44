package io.alfer.ml.data;

/**
 * How pixels become network inputs: {@code (pixel / 255 - mean) / std}. Stored in checkpoints so
 * that inference normalises exactly as training did.
 */
public record Normalization(float mean, float std) {
  /** Mean 0.5, std 0.5: maps [0, 255] to [-1, 1]. */
  public static final Normalization SYMMETRIC = new Normalization(0.5f, 0.5f);

  /** The smallest standard deviation {@link #of} returns (a flat pool would divide by zero). */
  static final float MIN_STD = 1f / 255;

  public Normalization {
    if (!(std > 0) || !Float.isFinite(mean)) {
      throw new IllegalArgumentException(
          "normalisation needs a finite mean and a positive std, got " + mean + ", " + std);
    }
  }

  /**
   * The mean and standard deviation of every pixel of {@code images} (scaled to [0, 1]), so that
   * the network sees inputs of mean 0 and deviation 1 whatever the data's brightness. A pool's
   * normalisation is fixed when its first model is trained and travels with every checkpoint.
   */
  public static Normalization of(PackedImages images) {
    if (images.size() == 0) {
      throw new IllegalArgumentException("cannot measure the normalisation of no images");
    }
    long[] histogram = new long[256];
    for (byte b : images.pixels()) {
      histogram[b & 0xFF]++;
    }
    double count = images.pixels().length;
    double sum = 0;
    for (int v = 0; v < 256; v++) {
      sum += histogram[v] * (v / 255.0);
    }
    double mean = sum / count;
    double squares = 0;
    for (int v = 0; v < 256; v++) {
      double d = v / 255.0 - mean;
      squares += histogram[v] * d * d;
    }
    double std = Math.sqrt(squares / count);
    return new Normalization((float) mean, (float) Math.max(MIN_STD, std));
  }

  /** Normalises a value already scaled to [0, 1]. */
  public float apply(float unit) {
    return (unit - mean) / std;
  }
}
