package io.alfer.oracle.answer;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The oracle's deliberate mistakes: with probability {@code errorRate} the answer is a uniformly
 * drawn other class. The draw depends only on the seed and the task id, so a run is reproducible
 * whatever order tasks arrive in.
 */
public final class Noise {
  private Noise() {}

  /** The class to answer for a task whose true class is {@code truth}. */
  public static int answer(int truth, int classes, double errorRate, long seed, String taskId) {
    long taskSeed = seed;
    for (byte b : taskId.getBytes(StandardCharsets.UTF_8)) {
      taskSeed = taskSeed * 31 + b;
    }
    SplittableRandom random = new SplittableRandom(taskSeed);
    if (classes < 2 || random.nextDouble() >= errorRate) {
      return truth;
    }
    int other = random.nextInt(classes - 1);
    return other >= truth ? other + 1 : other;
  }
}
