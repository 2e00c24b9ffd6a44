package io.alfer.datasets.archive;

import java.io.Closeable;

/**
 * One pass over the regular files of an archive, in archive order. Directories, links and
 * operating-system clutter are skipped (but count towards the entry limit). Limits and path safety
 * are checked as entries are reached.
 */
public interface ArchiveCursor extends Closeable {

  /**
   * The next regular file, or {@code null} at the end.
   *
   * @throws io.alfer.datasets.DatasetRejectedException when the archive breaks a limit, holds an
   *     escaping path, or is corrupt
   */
  ArchiveFile next();

  @Override
  void close();
}
