package io.alfer.select.error;

/**
 * A request the select service refuses, with the HTTP status to answer and a stable
 * machine-readable reason (the {@code error} of the JSON answer).
 */
public class SelectException extends RuntimeException {
  private final int status;
  private final String reason;

  public SelectException(int status, String reason, String message) {
    super(message);
    this.status = status;
    this.reason = reason;
  }

  /** HTTP status. */
  public int status() {
    return status;
  }

  /** Stable reason, e.g. {@code unknown_dataset}. */
  public String reason() {
    return reason;
  }

  /** 400: the request cannot be carried out as asked. */
  public static SelectException badRequest(String reason, String message) {
    return new SelectException(400, reason, message);
  }

  /** 404: no such campaign or round. */
  public static SelectException notFound(String reason, String message) {
    return new SelectException(404, reason, message);
  }

  /** 409: contradicts what exists (a campaign id with another spec, an impossible transition). */
  public static SelectException conflict(String reason, String message) {
    return new SelectException(409, reason, message);
  }

  /** 503: the state is not replayed yet, or Kafka did not take the write. */
  public static SelectException unavailable(String reason, String message) {
    return new SelectException(503, reason, message);
  }
}
