package io.alfer.embed.error;

/**
 * A request the embed service refuses, with the HTTP status to answer and a stable machine-readable
 * reason.
 */
public class EmbedException extends RuntimeException {
  private final int status;
  private final String reason;

  public EmbedException(int status, String reason, String message) {
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

  public static EmbedException badRequest(String reason, String message) {
    return new EmbedException(400, reason, message);
  }

  public static EmbedException notFound(String reason, String message) {
    return new EmbedException(404, reason, message);
  }

  public static EmbedException conflict(String reason, String message) {
    return new EmbedException(409, reason, message);
  }

  public static EmbedException gone(String reason, String message) {
    return new EmbedException(410, reason, message);
  }

  public static EmbedException tooLarge(String message) {
    return new EmbedException(413, "too_large", message);
  }

  public static EmbedException unsupported(String message) {
    return new EmbedException(415, "unsupported_format", message);
  }
}
