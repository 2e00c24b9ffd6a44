package io.alfer.datasets.layout;

import io.alfer.datasets.archive.ArchiveLimits;
import io.alfer.proto.v1.Split;
import java.util.Optional;

/**
 * How to read an upload.
 *
 * @param layout the layout to read, or empty to detect it from the contents
 * @param split the split of entries whose layout does not say (KDEF, CSVs without a Usage column);
 *     pool when empty
 * @param limits archive safety limits
 */
public record ImportOptions(Optional<Layout> layout, Optional<Split> split, ArchiveLimits limits) {

  /**
   * Validates the split.
   *
   * @throws IllegalArgumentException when the split is present but neither pool nor test
   */
  public ImportOptions {
    split.ifPresent(
        s -> {
          if (s != Split.SPLIT_POOL && s != Split.SPLIT_TEST) {
            throw new IllegalArgumentException("split must be pool or test, got " + s);
          }
        });
  }

  /** Detect the layout, default split pool, default limits. */
  public static ImportOptions detect() {
    return new ImportOptions(Optional.empty(), Optional.empty(), ArchiveLimits.DEFAULT);
  }

  /** These options with the layout fixed. */
  public ImportOptions withLayout(Layout chosen) {
    return new ImportOptions(Optional.of(chosen), split, limits);
  }

  /** These options with the split of entries whose layout does not give one. */
  public ImportOptions withSplit(Split chosen) {
    return new ImportOptions(layout, Optional.of(chosen), limits);
  }

  /** These options with other archive limits. */
  public ImportOptions withLimits(ArchiveLimits chosen) {
    return new ImportOptions(layout, split, chosen);
  }

  /** The split for entries whose layout does not give one. */
  Split defaultSplit() {
    return split.orElse(Split.SPLIT_POOL);
  }
}
