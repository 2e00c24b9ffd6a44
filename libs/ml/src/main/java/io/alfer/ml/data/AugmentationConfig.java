package io.alfer.ml.data;

/**
 * The random transformations of one view: a random resized crop (area fraction and aspect ratio
 * ranges), a horizontal flip, brightness and contrast jitter, and an optional Gaussian blur.
 *
 * @param minCropScale smallest crop area, as a fraction of the image
 * @param maxCropScale largest crop area
 * @param minAspect smallest crop aspect ratio (width / height)
 * @param maxAspect largest crop aspect ratio
 * @param flipProbability probability of a horizontal flip
 * @param jitterProbability probability of applying brightness and contrast jitter
 * @param brightness brightness factor drawn from [1 - brightness, 1 + brightness]
 * @param contrast contrast factor drawn from [1 - contrast, 1 + contrast]
 * @param blurProbability probability of a Gaussian blur
 * @param minBlurSigma smallest blur sigma, in pixels
 * @param maxBlurSigma largest blur sigma, in pixels
 */
public record AugmentationConfig(
    double minCropScale,
    double maxCropScale,
    double minAspect,
    double maxAspect,
    double flipProbability,
    double jitterProbability,
    double brightness,
    double contrast,
    double blurProbability,
    double minBlurSigma,
    double maxBlurSigma) {

  /**
   * alfer's SimCLR views for small grayscale faces, chosen by measurement (libs/ml README, "A
   * SimCLR recipe for CPU budgets"): crops of 40–100 % of the area (aspect 3/4–4/3), flip,
   * brightness and contrast jitter 0.4 with probability 0.8, no blur. Blur erases the mouth and
   * brows that carry the expression at 32 px.
   */
  public static final AugmentationConfig SIMCLR =
      new AugmentationConfig(0.4, 1.0, 3.0 / 4, 4.0 / 3, 0.5, 0.8, 0.4, 0.4, 0.0, 0.1, 2.0);

  /**
   * The SimCLR paper's views as alfer used them before (crop scale 0.2–1, flip, jitter 0.4 with
   * probability 0.8, blur σ 0.1–2 half the time): the ablation's starting point.
   */
  public static final AugmentationConfig SIMCLR_PAPER =
      new AugmentationConfig(0.2, 1.0, 3.0 / 4, 4.0 / 3, 0.5, 0.8, 0.4, 0.4, 0.5, 0.1, 2.0);

  /**
   * Augmentation for supervised fine-tuning that keeps the expression in view: crops of 60–100 % of
   * the area, flips, and light brightness and contrast jitter (±20 %, on 80 % of the views).
   */
  public static final AugmentationConfig FINE_TUNE =
      new AugmentationConfig(0.6, 1.0, 3.0 / 4, 4.0 / 3, 0.5, 0.8, 0.2, 0.2, 0.0, 0.1, 2.0);

  /** No augmentation: the image as it is. */
  public static final AugmentationConfig NONE =
      new AugmentationConfig(1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.1, 2.0);

  public AugmentationConfig {
    requireRange("crop scale", minCropScale, maxCropScale);
    if (minCropScale <= 0 || maxCropScale > 1) {
      throw new IllegalArgumentException(
          "crop scale must lie in (0, 1], got " + minCropScale + ".." + maxCropScale);
    }
    requireRange("aspect ratio", minAspect, maxAspect);
    if (minAspect <= 0) {
      throw new IllegalArgumentException("aspect ratio must be positive, got " + minAspect);
    }
    requireProbability("flipProbability", flipProbability);
    requireProbability("jitterProbability", jitterProbability);
    requireProbability("blurProbability", blurProbability);
    if (brightness < 0 || brightness >= 1 || contrast < 0 || contrast >= 1) {
      throw new IllegalArgumentException(
          "brightness and contrast must lie in [0, 1), got " + brightness + ", " + contrast);
    }
    requireRange("blur sigma", minBlurSigma, maxBlurSigma);
    if (minBlurSigma <= 0) {
      throw new IllegalArgumentException("blur sigma must be positive, got " + minBlurSigma);
    }
  }

  /** The same transformations with the blur switched on or off. */
  public AugmentationConfig withBlurProbability(double probability) {
    return new AugmentationConfig(
        minCropScale,
        maxCropScale,
        minAspect,
        maxAspect,
        flipProbability,
        jitterProbability,
        brightness,
        contrast,
        probability,
        minBlurSigma,
        maxBlurSigma);
  }

  private static void requireRange(String what, double min, double max) {
    if (!(min <= max)) {
      throw new IllegalArgumentException(what + " range is empty: " + min + ".." + max);
    }
  }

  private static void requireProbability(String what, double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException(what + " must be a probability, got " + p);
    }
  }
}
