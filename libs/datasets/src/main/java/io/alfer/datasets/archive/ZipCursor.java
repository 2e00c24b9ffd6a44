package io.alfer.datasets.archive;

import io.alfer.datasets.DatasetRejectedException;
import io.alfer.datasets.DatasetRejectedException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/** Walks a zip through its central directory, in physical order. */
final class ZipCursor implements ArchiveCursor {

  private final ZipFile zip;
  private final Enumeration<ZipArchiveEntry> entries;
  private final EntryBudget budget;
  private InputStream current;

  private ZipCursor(ZipFile zip, EntryBudget budget) {
    this.zip = zip;
    this.entries = zip.getEntriesInPhysicalOrder();
    this.budget = budget;
  }

  static ZipCursor open(Path file, EntryBudget budget) {
    try {
      return new ZipCursor(ZipFile.builder().setPath(file).get(), budget);
    } catch (IOException e) {
      throw new DatasetRejectedException(
          Reason.CORRUPT_ARCHIVE, "zip archive cannot be read: " + e.getMessage(), e);
    }
  }

  @Override
  public ArchiveFile next() {
    closeCurrent();
    while (entries.hasMoreElements()) {
      ZipArchiveEntry entry = entries.nextElement();
      String path = ArchivePaths.normalize(entry.getName());
      budget.charge(entry.getName(), entry.isDirectory() ? 0 : entry.getSize());
      if (!entry.isDirectory() && !entry.isUnixSymlink() && !ArchivePaths.isClutter(path)) {
        return new ZipEntryFile(entry, path);
      }
    }
    return null;
  }

  private void closeCurrent() {
    if (current != null) {
      try {
        current.close();
      } catch (IOException e) {
        // the entry was only read; nothing is lost by failing to close its inflater stream
      }
      current = null;
    }
  }

  @Override
  public void close() {
    closeCurrent();
    try {
      zip.close();
    } catch (IOException e) {
      // read-only file: nothing to flush
    }
  }

  private final class ZipEntryFile implements ArchiveFile {
    private final ZipArchiveEntry entry;
    private final String path;

    ZipEntryFile(ZipArchiveEntry entry, String path) {
      this.entry = entry;
      this.path = path;
    }

    @Override
    public String path() {
      return path;
    }

    @Override
    public long size() {
      return entry.getSize();
    }

    @Override
    public InputStream open() throws IOException {
      if (!zip.canReadEntryData(entry)) {
        throw new IOException(path + " uses an unsupported zip feature (encryption or method)");
      }
      closeCurrent();
      current = new CheckedEntryStream(zip.getInputStream(entry), path, entry.getSize(), budget);
      return current;
    }
  }
}
