package io.alfer.core.storage;

/** Object storage could not be reached or refused an operation. */
public class StorageException extends RuntimeException {
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
