package io.alfer.ml.deepfool;

/**
 * What DeepFool found for each of n inputs, in input order.
 *
 * @param sizes {@code ||r||₂} of the accumulated perturbation r (before the overshoot); finite and
 *     {@code >= 0}
 * @param iterations linearisation steps taken per input
 * @param flipped whether {@code x + (1 + η)·r} is classified differently from {@code x}
 * @param originalClasses the predicted class of {@code x}
 * @param finalClasses the predicted class of {@code x + (1 + η)·r}
 * @param perturbations n × (input size) values of r, row-major, when asked for; else null
 */
public record DeepFoolResult(
    float[] sizes,
    int[] iterations,
    boolean[] flipped,
    int[] originalClasses,
    int[] finalClasses,
    float[] perturbations) {

  /** The number of inputs. */
  public int count() {
    return sizes.length;
  }

  /** How many inputs were flipped. */
  public int flippedCount() {
    int n = 0;
    for (boolean f : flipped) {
      n += f ? 1 : 0;
    }
    return n;
  }

  /** Mean number of linearisation steps per input. */
  public double meanIterations() {
    long sum = 0;
    for (int i : iterations) {
      sum += i;
    }
    return sizes.length == 0 ? 0 : (double) sum / sizes.length;
  }
}
