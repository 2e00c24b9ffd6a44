package io.alfer.embed.inference;

/** An ONNX model the service cannot run (corrupt, wrong inputs or outputs, no normalisation). */
public final class InvalidModelException extends RuntimeException {
  public InvalidModelException(String message) {
    super(message);
  }

  public InvalidModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
