package io.alfer.ml.train;

import java.time.Duration;

/** Measures throughput and estimates the remaining time of a run, then reports to the hooks. */
public final class ProgressMeter {
  private final TrainingHooks hooks;
  private final int epochs;
  private final long totalSteps;
  private final long startStep;
  private final long startNanos = System.nanoTime();
  private long images;

  public ProgressMeter(TrainingHooks hooks, int epochs, long totalSteps, long startStep) {
    this.hooks = hooks;
    this.epochs = epochs;
    this.totalSteps = totalSteps;
    this.startStep = startStep;
  }

  /** Throws {@link TrainingCancelledException} when the hooks ask to stop. */
  public void checkCancelled(long completedSteps) {
    if (hooks.isCancelled()) {
      throw new TrainingCancelledException(completedSteps);
    }
  }

  /** Records a finished step of {@code batchImages} images and reports progress. */
  public void stepDone(int epoch, long step, int batchImages, double loss, double learningRate) {
    images += batchImages;
    double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
    long doneHere = step - startStep;
    double secondsPerStep = doneHere > 0 ? seconds / doneHere : 0;
    Duration eta = Duration.ofMillis(Math.round(secondsPerStep * (totalSteps - step) * 1000));
    hooks.onProgress(
        new TrainingProgress(
            epoch, epochs, step, totalSteps, loss, learningRate, images / seconds, eta));
  }
}
