package io.alfer.datasets.archive;

import java.io.IOException;
import java.io.InputStream;

/** A regular file inside an archive, valid until the cursor moves on. */
public interface ArchiveFile {

  /** Normalised path inside the archive (see {@link ArchivePaths#normalize}). */
  String path();

  /** Uncompressed size as declared by the archive; -1 when the archive does not say. */
  long size();

  /**
   * The file's content. The stream is valid until the cursor's next call; closing it does not close
   * the archive. Reading past the declared size fails.
   *
   * @throws IOException when the entry cannot be read (unsupported compression, encryption)
   */
  InputStream open() throws IOException;

  /**
   * The whole content, when it is no larger than {@code maxBytes}.
   *
   * @throws EntryTooLargeException when the content is larger than {@code maxBytes}
   * @throws IOException when the entry cannot be read
   */
  default byte[] readAll(long maxBytes) throws IOException {
    if (size() > maxBytes) {
      throw new EntryTooLargeException(path(), size(), maxBytes);
    }
    try (InputStream in = open()) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (bytes.length > maxBytes) {
        throw new EntryTooLargeException(path(), bytes.length, maxBytes);
      }
      return bytes;
    }
  }

  /** Thrown by {@link #readAll} for a file over the size limit. */
  final class EntryTooLargeException extends IOException {
    /** An exception naming the path, its size (at least) and the limit. */
    public EntryTooLargeException(String path, long size, long limit) {
      super(
          "%s holds at least %d bytes, over the per-file limit of %d".formatted(path, size, limit));
    }
  }
}
