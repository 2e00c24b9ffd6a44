package io.alfer.datasets.image;

/** Thrown when bytes cannot become a canonical image; {@link #reason()} says why. */
public final class InvalidImageException extends RuntimeException {

  /** Why an image was refused. */
  public enum Reason {
    /** The bytes are not an image of any format we recognise (empty, text, PDF, …). */
    NOT_AN_IMAGE,
    /** A recognised image format that alfer does not decode (TIFF, WebP, ICO, HEIC, …). */
    UNSUPPORTED_FORMAT,
    /** The image ends before its data does. */
    TRUNCATED,
    /** The image is damaged or inconsistent in a way other than ending early. */
    CORRUPT,
    /** The header announces more pixels than allowed (a decompression bomb, or just too big). */
    TOO_MANY_PIXELS
  }

  private final Reason reason;

  /** An exception for {@code reason} with a message naming the problem. */
  public InvalidImageException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** An exception for {@code reason} with a message and the decoder's own exception. */
  public InvalidImageException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Why the image was refused. */
  public Reason reason() {
    return reason;
  }
}
