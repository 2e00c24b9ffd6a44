package io.alfer.datasets.archive;

import java.nio.file.Path;

/**
 * A zip, tar or tar.gz file on disk that can be walked several times (once to survey, once to
 * read), each walk enforcing the same {@link ArchiveLimits}.
 */
public final class Archive {

  private final Path file;
  private final ContainerFormat format;
  private final ArchiveLimits limits;

  /**
   * An archive of the given format.
   *
   * @throws IllegalArgumentException when {@code format} is not an archive format
   */
  public Archive(Path file, ContainerFormat format, ArchiveLimits limits) {
    if (!format.isArchive()) {
      throw new IllegalArgumentException(format.id() + " is not an archive format");
    }
    this.file = file;
    this.format = format;
    this.limits = limits;
  }

  /** The packing format. */
  public ContainerFormat format() {
    return format;
  }

  /** The limits every walk enforces. */
  public ArchiveLimits limits() {
    return limits;
  }

  /**
   * Starts a new walk over the archive's files.
   *
   * @throws io.alfer.datasets.DatasetRejectedException when the archive cannot be opened
   */
  public ArchiveCursor cursor() {
    EntryBudget budget = new EntryBudget(limits);
    return format == ContainerFormat.ZIP
        ? ZipCursor.open(file, budget)
        : TarCursor.open(file, format == ContainerFormat.TAR_GZ, budget);
  }
}
