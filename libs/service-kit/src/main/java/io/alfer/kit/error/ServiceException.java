package io.alfer.kit.error;

/**
 * A request a service refuses: the HTTP status to answer, a stable machine-readable reason (the
 * {@code error} of the {@link ErrorBody}, also the label of refusal metrics), a message for people
 * and, where a client needs more to act on, details (the body's {@code details}).
 */
public class ServiceException extends RuntimeException {
  private final int status;
  private final String reason;
  private final transient Object details;

  public ServiceException(int status, String reason, String message) {
    this(status, reason, message, null);
  }

  public ServiceException(int status, String reason, String message, Throwable cause) {
    this(status, reason, message, cause, null);
  }

  private ServiceException(
      int status, String reason, String message, Throwable cause, Object details) {
    super(message, cause);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("a refusal's status is 4xx or 5xx, got " + status);
    }
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("a refusal needs a reason");
    }
    this.status = status;
    this.reason = reason;
    this.details = details;
  }

  /** This refusal with {@code details} in its body (serialised as JSON). */
  public ServiceException withDetails(Object details) {
    return new ServiceException(status, reason, getMessage(), getCause(), details);
  }

  public int status() {
    return status;
  }

  public String reason() {
    return reason;
  }

  /** What the body's {@code details} holds, or null. */
  public Object details() {
    return details;
  }

  /** 400: the request itself is wrong. */
  public static ServiceException badRequest(String reason, String message) {
    return new ServiceException(400, reason, message);
  }

  /** 401 {@code unauthorized}: no or a wrong credential. */
  public static ServiceException unauthorized(String message) {
    return new ServiceException(401, "unauthorized", message);
  }

  /** 404: what the request names does not exist. */
  public static ServiceException notFound(String reason, String message) {
    return new ServiceException(404, reason, message);
  }

  /** 409: the request contradicts what exists. */
  public static ServiceException conflict(String reason, String message) {
    return new ServiceException(409, reason, message);
  }

  /** 410: it existed and is gone. */
  public static ServiceException gone(String reason, String message) {
    return new ServiceException(410, reason, message);
  }

  /** 413 {@code too_large}. */
  public static ServiceException tooLarge(String message) {
    return new ServiceException(413, "too_large", message);
  }

  /** 415 {@code unsupported_format}: a body whose format the service does not read. */
  public static ServiceException unsupported(String message) {
    return new ServiceException(415, "unsupported_format", message);
  }

  /** 503: the service cannot answer now (not ready, a dependency down). */
  public static ServiceException unavailable(String reason, String message) {
    return new ServiceException(503, reason, message);
  }
}
