package io.alfer.datasets.layout;

import io.alfer.datasets.archive.ArchiveFile;
import io.alfer.datasets.archive.ArchivePaths;
import io.alfer.datasets.layout.EntryError.Problem;
import io.alfer.proto.v1.Split;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** KDEF: every image named like {@code AF01ANS.JPG}, anywhere in the archive, in one split. */
final class KdefMapper implements EntryMapper {

  private final Split split;
  private final long maxEntryBytes;

  KdefMapper(Split split, long maxEntryBytes) {
    this.split = split;
    this.maxEntryBytes = maxEntryBytes;
  }

  @Override
  public Iterator<DatasetItem> map(ArchiveFile file) {
    if (!EntryMapper.isImage(file)) {
      return Collections.emptyIterator();
    }
    String base = ArchivePaths.baseName(file.path());
    Optional<KdefName> name = KdefName.parse(base);
    if (name.isEmpty()) {
      return List.<DatasetItem>of(
              new EntryError(
                  file.path(),
                  Problem.UNRECOGNISED_NAME,
                  "'" + base + "' is not a KDEF name such as AF01ANS.JPG"))
          .iterator();
    }
    int label = name.get().fer7Label();
    return List.of(
            EntryMapper.readImage(
                file, maxEntryBytes, image -> new DatasetEntry(file.path(), image, split, label)))
        .iterator();
  }
}
