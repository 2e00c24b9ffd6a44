package io.alfer.datasets.layout;

/** What a {@link DatasetReader} yields: an image entry, or a problem with one file or row. */
public sealed interface DatasetItem permits DatasetEntry, EntryError {

  /** Where the item came from: an archive path, or {@code file.csv:line} for a CSV row. */
  String source();
}
