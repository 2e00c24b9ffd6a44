package io.alfer.ml.train;

/** A training run stopped because its hooks reported cancellation. */
public final class TrainingCancelledException extends RuntimeException {
  private final long completedSteps;

  public TrainingCancelledException(long completedSteps) {
    super("training cancelled after " + completedSteps + " steps");
    this.completedSteps = completedSteps;
  }

  public long completedSteps() {
    return completedSteps;
  }
}
