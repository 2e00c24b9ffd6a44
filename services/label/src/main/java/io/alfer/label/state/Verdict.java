package io.alfer.label.state;

/**
 * The outcome of checking a result against the task it answers.
 *
 * @param refusal why it was refused, or null when accepted
 * @param message what was wrong, for people (null when accepted)
 * @param labelIndex the label's index in the task's taxonomy (when accepted)
 */
public record Verdict(Refusal refusal, String message, int labelIndex) {

  /** An accepted result with its label index. */
  public static Verdict accepted(int labelIndex) {
    return new Verdict(null, null, labelIndex);
  }

  /** A refused result. */
  public static Verdict refused(Refusal refusal, String message) {
    return new Verdict(refusal, message, -1);
  }

  /** Whether the result was accepted. */
  public boolean isAccepted() {
    return refusal == null;
  }
}
