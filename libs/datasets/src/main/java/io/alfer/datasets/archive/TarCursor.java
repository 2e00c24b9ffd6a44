package io.alfer.datasets.archive;

import io.alfer.datasets.DatasetRejectedException;
import io.alfer.datasets.DatasetRejectedException.Reason;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** Walks a tar or tar.gz sequentially; the entry content is the archive stream itself. */
final class TarCursor implements ArchiveCursor {

  private final TarArchiveInputStream tar;
  private final EntryBudget budget;

  private TarCursor(TarArchiveInputStream tar, EntryBudget budget) {
    this.tar = tar;
    this.budget = budget;
  }

  static TarCursor open(Path file, boolean gzipped, EntryBudget budget) {
    InputStream in = null;
    try {
      in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
      if (gzipped) {
        in = new GzipCompressorInputStream(in, true);
      }
      return new TarCursor(new TarArchiveInputStream(in), budget);
    } catch (IOException e) {
      closeQuietly(in);
      throw corrupt(e);
    }
  }

  @Override
  public ArchiveFile next() {
    try {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        String path = ArchivePaths.normalize(entry.getName());
        budget.charge(entry.getName(), entry.isFile() ? entry.getSize() : 0);
        if (entry.isFile() && !ArchivePaths.isClutter(path)) {
          return new TarEntryFile(path, entry.getSize());
        }
      }
      return null;
    } catch (IOException e) {
      throw corrupt(e);
    }
  }

  @Override
  public void close() {
    closeQuietly(tar);
  }

  private static DatasetRejectedException corrupt(IOException e) {
    return new DatasetRejectedException(
        Reason.CORRUPT_ARCHIVE, "tar archive cannot be read: " + e.getMessage(), e);
  }

  private static void closeQuietly(InputStream in) {
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        // read-only file: nothing to flush
      }
    }
  }

  private final class TarEntryFile implements ArchiveFile {
    private final String path;
    private final long size;

    TarEntryFile(String path, long size) {
      this.path = path;
      this.size = size;
    }

    @Override
    public String path() {
      return path;
    }

    @Override
    public long size() {
      return size;
    }

    @Override
    public InputStream open() {
      return new FilterInputStream(tar) {
        @Override
        public void close() {
          // the archive stream stays open for the next entry
        }
      };
    }
  }
}
