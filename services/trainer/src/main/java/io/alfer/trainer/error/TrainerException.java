package io.alfer.trainer.error;

/**
 * A request the trainer refuses, with the HTTP status to answer and a stable machine-readable
 * reason (also the label of the refusal metric and the text of the dead-letter reason).
 */
public class TrainerException extends RuntimeException {
  private final int status;
  private final String reason;

  public TrainerException(int status, String reason, String message) {
    super(message);
    this.status = status;
    this.reason = reason;
  }

  /** The HTTP status to answer. */
  public int status() {
    return status;
  }

  /** The machine-readable reason. */
  public String reason() {
    return reason;
  }

  /** An invalid request (400). */
  public static TrainerException badRequest(String reason, String message) {
    return new TrainerException(400, reason, message);
  }

  /** Something that does not exist (404). */
  public static TrainerException notFound(String reason, String message) {
    return new TrainerException(404, reason, message);
  }

  /** A request that contradicts the state (409). */
  public static TrainerException conflict(String reason, String message) {
    return new TrainerException(409, reason, message);
  }
}
