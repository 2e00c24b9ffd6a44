package io.alfer.datasets;

/**
 * Thrown when a whole upload is refused (the caller answers 400): an unsafe or oversized archive,
 * or contents that match no dataset layout. Problems with single files or rows are reported as
 * entry errors of the layout readers instead, and reading continues.
 */
public final class DatasetRejectedException extends RuntimeException {

  /** Why an upload was refused. */
  public enum Reason {
    /** Neither an archive (zip, tar, tar.gz) nor a CSV file. */
    NOT_A_DATASET,
    /** An archive whose contents match no known layout. */
    UNKNOWN_LAYOUT,
    /** The layout chosen by the caller does not fit the contents. */
    LAYOUT_MISMATCH,
    /** An entry's path is absolute or climbs out of the archive root with {@code ..}. */
    PATH_ESCAPE,
    /** More entries than the configured limit. */
    TOO_MANY_ENTRIES,
    /** More uncompressed bytes than the configured limit. */
    TOO_LARGE,
    /** The archive cannot be read to the end (bad checksum, truncated, malformed headers). */
    CORRUPT_ARCHIVE
  }

  private final Reason reason;

  /** An exception for {@code reason} with a message naming the problem. */
  public DatasetRejectedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** An exception for {@code reason} with a message and the underlying exception. */
  public DatasetRejectedException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Why the upload was refused. */
  public Reason reason() {
    return reason;
  }
}
