package io.alfer.ingest.error;

/**
 * A request alfer refuses, with the HTTP status to answer and a stable machine-readable reason
 * (also the label of the refusal metric).
 */
public class IngestException extends RuntimeException {
  private final int status;
  private final String reason;

  public IngestException(int status, String reason, String message) {
    super(message);
    this.status = status;
    this.reason = reason;
  }

  public IngestException(int status, String reason, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.reason = reason;
  }

  public int status() {
    return status;
  }

  public String reason() {
    return reason;
  }

  public static IngestException badRequest(String reason, String message) {
    return new IngestException(400, reason, message);
  }

  public static IngestException notFound(String reason, String message) {
    return new IngestException(404, reason, message);
  }

  public static IngestException conflict(String reason, String message) {
    return new IngestException(409, reason, message);
  }

  public static IngestException tooLarge(String message) {
    return new IngestException(413, "too_large", message);
  }

  public static IngestException unsupported(String message) {
    return new IngestException(415, "unsupported_format", message);
  }
}
