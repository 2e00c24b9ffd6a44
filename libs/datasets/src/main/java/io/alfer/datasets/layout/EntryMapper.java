package io.alfer.datasets.layout;

import io.alfer.datasets.archive.ArchiveFile;
import io.alfer.datasets.archive.ArchivePaths;
import io.alfer.datasets.layout.EntryError.Problem;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/** Turns the files of an archive into dataset items, for one layout. */
interface EntryMapper {

  /** Items to yield before the first file (e.g. bad label-file lines). */
  default List<DatasetItem> leading() {
    return List.of();
  }

  /** The items of one file; empty for files the layout ignores. Called in archive order. */
  Iterator<DatasetItem> map(ArchiveFile file);

  /** Items to yield after the last file (e.g. listed images that never appeared). */
  default List<DatasetItem> trailing() {
    return List.of();
  }

  /**
   * An image file's bytes turned into an item by {@code toItem}, or a {@link Problem#TOO_LARGE} or
   * {@link Problem#UNREADABLE} error.
   */
  static DatasetItem readImage(
      ArchiveFile file, long maxBytes, Function<ImageData.Encoded, DatasetItem> toItem) {
    try {
      return toItem.apply(new ImageData.Encoded(file.readAll(maxBytes)));
    } catch (ArchiveFile.EntryTooLargeException e) {
      return new EntryError(file.path(), Problem.TOO_LARGE, e.getMessage());
    } catch (IOException e) {
      return new EntryError(
          file.path(), Problem.UNREADABLE, file.path() + " cannot be read: " + e.getMessage());
    }
  }

  /** Whether the file is an image by its extension. */
  static boolean isImage(ArchiveFile file) {
    return ArchiveSurvey.isImageName(ArchivePaths.baseName(file.path()));
  }
}
