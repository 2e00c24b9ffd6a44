package io.alfer.label.error;

/**
 * A request the label service refuses, with the HTTP status to answer and a stable machine-readable
 * reason (the same reasons as on {@code alfer.label-results.dlq}).
 */
public class LabelException extends RuntimeException {
  private final int status;
  private final String reason;

  public LabelException(int status, String reason, String message) {
    super(message);
    this.status = status;
    this.reason = reason;
  }

  public int status() {
    return status;
  }

  public String reason() {
    return reason;
  }

  public static LabelException badRequest(String reason, String message) {
    return new LabelException(400, reason, message);
  }

  public static LabelException unauthorized(String message) {
    return new LabelException(401, "unauthorized", message);
  }

  public static LabelException notFound(String reason, String message) {
    return new LabelException(404, reason, message);
  }

  public static LabelException unavailable(String message) {
    return new LabelException(503, "not_ready", message);
  }
}
