package io.alfer.datasets.synthetic;

import java.util.random.RandomGenerator;

/**
 * Who is in the picture: face shape, tones and where the features sit, in canvas pixels relative to
 * the face centre (y down).
 */
record Identity(
    double faceHalfWidth,
    double faceHalfHeight,
    int skin,
    int background,
    int hair,
    double hairline,
    double eyeY,
    double eyeSpacing,
    double eyeWidth,
    double browGap,
    double noseLength,
    double mouthY,
    double mouthHalfWidth,
    double lipWidth) {

  static Identity random(RandomGenerator rng, double canvas) {
    double a = canvas * between(rng, 0.27, 0.34);
    double b = a * between(rng, 1.15, 1.35);
    int skin = (int) between(rng, 110, 205);
    int background = (int) between(rng, 15, 240);
    if (Math.abs(background - skin) < 35) {
      background = skin > 128 ? skin - 70 : skin + 70;
    }
    return new Identity(
        a,
        b,
        skin,
        background,
        (int) between(rng, 10, Math.max(20, skin - 50)),
        b * between(rng, 0.66, 0.85),
        -b * between(rng, 0.06, 0.2),
        a * between(rng, 0.36, 0.46),
        a * between(rng, 0.24, 0.32),
        b * between(rng, 0.17, 0.24),
        b * between(rng, 0.26, 0.36),
        b * between(rng, 0.44, 0.56),
        a * between(rng, 0.3, 0.42),
        canvas * between(rng, 0.022, 0.034));
  }

  static double between(RandomGenerator rng, double low, double high) {
    return low + (high - low) * rng.nextDouble();
  }
}
