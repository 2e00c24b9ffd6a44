package io.alfer.datasets.layout;

import io.alfer.datasets.archive.ArchiveFile;
import io.alfer.datasets.layout.EntryError.Problem;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** Image folders: split and class from {@code <root>/<split>/<class>/<image>}. */
final class ImageFolderMapper implements EntryMapper {

  private final ImageFolderTree tree;
  private final long maxEntryBytes;

  ImageFolderMapper(ImageFolderTree tree, long maxEntryBytes) {
    this.tree = tree;
    this.maxEntryBytes = maxEntryBytes;
  }

  @Override
  public Iterator<DatasetItem> map(ArchiveFile file) {
    if (!EntryMapper.isImage(file)) {
      return Collections.emptyIterator();
    }
    Optional<ImageFolderTree.Placement> placement = tree.place(file.path());
    DatasetItem item =
        placement.isEmpty()
            ? new EntryError(
                file.path(),
                Problem.UNEXPECTED_PATH,
                file.path() + " is not in {train,val,test}/<class>/ below the dataset root")
            : EntryMapper.readImage(
                file,
                maxEntryBytes,
                image ->
                    new DatasetEntry(
                        file.path(), image, placement.get().split(), placement.get().label()));
    return List.of(item).iterator();
  }
}
