package io.alfer.datasets.archive;

/**
 * Limits that keep a hostile archive from exhausting the importer.
 *
 * @param maxEntries most entries (files, directories, links) an archive may hold
 * @param maxTotalBytes most uncompressed bytes, summed over all files
 * @param maxEntryBytes largest single file that is read into memory; larger ones are reported per
 *     entry, not read
 */
public record ArchiveLimits(int maxEntries, long maxTotalBytes, long maxEntryBytes) {

  /** 200,000 entries, 8 GiB in total, 64 MiB per file. */
  public static final ArchiveLimits DEFAULT = new ArchiveLimits(200_000, 8L << 30, 64L << 20);

  /**
   * Validates the limits.
   *
   * @throws IllegalArgumentException when a limit is not positive
   */
  public ArchiveLimits {
    if (maxEntries < 1 || maxTotalBytes < 1 || maxEntryBytes < 1) {
      throw new IllegalArgumentException(
          "archive limits must be positive: entries=%d, total=%d, entry=%d"
              .formatted(maxEntries, maxTotalBytes, maxEntryBytes));
    }
  }
}
