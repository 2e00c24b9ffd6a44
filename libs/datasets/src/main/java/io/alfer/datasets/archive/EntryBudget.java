package io.alfer.datasets.archive;

import io.alfer.datasets.DatasetRejectedException;
import io.alfer.datasets.DatasetRejectedException.Reason;

/** Counts entries and declared bytes during one walk and refuses the archive past its limits. */
final class EntryBudget {

  private final ArchiveLimits limits;
  private int entries;
  private long totalBytes;

  EntryBudget(ArchiveLimits limits) {
    this.limits = limits;
  }

  /** Accounts for one more entry (of any kind) of {@code declaredSize} bytes (-1: unknown). */
  void charge(String name, long declaredSize) {
    entries++;
    if (entries > limits.maxEntries()) {
      throw new DatasetRejectedException(
          Reason.TOO_MANY_ENTRIES,
          "archive holds more than %d entries (reached at '%s')"
              .formatted(limits.maxEntries(), name));
    }
    totalBytes += Math.max(0, declaredSize);
    if (totalBytes > limits.maxTotalBytes()) {
      throw new DatasetRejectedException(
          Reason.TOO_LARGE,
          "archive uncompresses to more than %d bytes (reached at '%s')"
              .formatted(limits.maxTotalBytes(), name));
    }
  }

  /** Accounts for bytes read beyond what an entry declared (-1 declared size counts here). */
  void chargeUndeclared(String name, long bytes) {
    totalBytes += bytes;
    if (totalBytes > limits.maxTotalBytes()) {
      throw new DatasetRejectedException(
          Reason.TOO_LARGE,
          "archive uncompresses to more than %d bytes (reached at '%s')"
              .formatted(limits.maxTotalBytes(), name));
    }
  }
}
