package io.alfer.datasets.layout;

import io.alfer.datasets.DatasetRejectedException;
import io.alfer.datasets.DatasetRejectedException.Reason;
import io.alfer.datasets.archive.ArchiveFile;
import io.alfer.proto.v1.Split;
import java.io.IOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.Set;

/** FER2013 CSVs inside an archive (e.g. Kaggle's fer2013.tar.gz), each streamed row by row. */
final class Fer2013CsvMapper implements EntryMapper {

  private final Set<String> csvPaths;
  private final Split defaultSplit;

  Fer2013CsvMapper(Set<String> csvPaths, Split defaultSplit) {
    this.csvPaths = csvPaths;
    this.defaultSplit = defaultSplit;
  }

  @Override
  public Iterator<DatasetItem> map(ArchiveFile file) {
    if (!csvPaths.contains(file.path())) {
      return Collections.emptyIterator();
    }
    try {
      return new Fer2013CsvReader(file.open(), file.path(), defaultSplit);
    } catch (IOException e) {
      throw new DatasetRejectedException(
          Reason.CORRUPT_ARCHIVE, file.path() + " cannot be read: " + e.getMessage(), e);
    }
  }
}
