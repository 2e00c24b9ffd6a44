package io.alfer.datasets.synthetic;

import static io.alfer.datasets.synthetic.Identity.between;

import io.alfer.datasets.ClassTaxonomy;
import java.util.random.RandomGenerator;

/**
 * The facial action of one expression at a random intensity. Lengths are fractions of the face's
 * half-height (brows, mouth) or multipliers (eye opening, mouth width).
 *
 * @param browRaise how far both brows move up (negative: down)
 * @param browInnerDown how far the inner brow ends move down relative to the outer ends (negative:
 *     up, as in sadness and fear)
 * @param eyeOpen eye height as a multiple of the neutral opening
 * @param mouthLift how far the mouth corners sit above its middle (negative: below, a frown)
 * @param mouthOpen height of the mouth opening (0: closed)
 * @param mouthWidth mouth width as a multiple of the neutral width
 * @param teeth whether an open mouth shows teeth
 * @param sneer extra lift of one mouth corner (disgust)
 * @param noseWrinkle whether the nose bridge is wrinkled (disgust)
 * @param cheekLines whether nasolabial lines show (smile, disgust)
 * @param lipPress lip line thickness multiplier (pressed lips in anger)
 */
record Expression(
    double browRaise,
    double browInnerDown,
    double eyeOpen,
    double mouthLift,
    double mouthOpen,
    double mouthWidth,
    boolean teeth,
    double sneer,
    boolean noseWrinkle,
    boolean cheekLines,
    double lipPress) {

  static Expression of(int label, RandomGenerator rng) {
    double t = between(rng, 0.5, 1.0);
    double jitter = between(rng, -0.02, 0.02);
    return switch (label) {
      case ClassTaxonomy.ANGRY ->
          new Expression(
              -0.07 * t, 0.12 * t, 0.8 - 0.2 * t, jitter, 0, 0.75, false, 0, false, false, 1.6);
      case ClassTaxonomy.DISGUST ->
          new Expression(
              -0.05 * t,
              0.05 * t,
              0.6,
              -0.06 * t,
              rng.nextBoolean() ? 0.05 * t : 0,
              0.85,
              false,
              0.08 * t,
              true,
              true,
              1.2);
      case ClassTaxonomy.FEAR ->
          new Expression(
              0.09 * t,
              -0.09 * t,
              1.6 + 0.4 * t,
              -0.05 * t,
              0.1 + 0.08 * t,
              1.2,
              rng.nextBoolean(),
              0,
              false,
              false,
              1);
      case ClassTaxonomy.HAPPY -> {
        boolean open = rng.nextBoolean();
        yield new Expression(
            0.015,
            0,
            0.75 - 0.25 * t,
            0.2 * t,
            open ? 0.12 * t : 0,
            1.1 + 0.15 * t,
            open,
            0,
            false,
            true,
            1);
      }
      case ClassTaxonomy.SAD ->
          new Expression(0.02, -0.11 * t, 0.8, -0.14 * t, 0, 0.9, false, 0, false, false, 1.1);
      case ClassTaxonomy.SURPRISE ->
          new Expression(
              0.13 * t, -0.01, 1.5 + 0.5 * t, 0, 0.22 + 0.12 * t, 0.55, false, 0, false, false, 1);
      case ClassTaxonomy.NEUTRAL ->
          new Expression(jitter, 0, 1, jitter, 0, 1, false, 0, false, false, 1);
      default -> throw new IllegalArgumentException("no FER7 expression " + label);
    };
  }
}
