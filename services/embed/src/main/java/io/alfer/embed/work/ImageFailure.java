package io.alfer.embed.work;

/**
 * An image that cannot be embedded whatever the retries: its object is gone or not an image. The
 * image is left out (its announcement dead-lettered); the rest of the batch goes on.
 */
final class ImageFailure extends RuntimeException {
  private final String reason;

  ImageFailure(String reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  String reason() {
    return reason;
  }
}
