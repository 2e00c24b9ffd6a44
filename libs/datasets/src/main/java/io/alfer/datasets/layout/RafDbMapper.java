package io.alfer.datasets.layout;

import io.alfer.datasets.archive.ArchiveFile;
import io.alfer.datasets.archive.ArchivePaths;
import io.alfer.datasets.layout.EntryError.Problem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * RAF-DB basic: images matched to the label file by key ({@code train_00001.jpg} and {@code
 * train_00001_aligned.jpg} both match {@code train_00001}). When the archive holds aligned images,
 * only those are read and the originals are left out, so each face is imported once.
 */
final class RafDbMapper implements EntryMapper {

  private static final String ALIGNED_SUFFIX = "_aligned";

  private final RafDbLabels labels;
  private final String labelFilePath;
  private final boolean alignedOnly;
  private final long maxEntryBytes;
  private final Set<String> seen = new HashSet<>();

  RafDbMapper(RafDbLabels labels, String labelFilePath, boolean alignedOnly, long maxEntryBytes) {
    this.labels = labels;
    this.labelFilePath = labelFilePath;
    this.alignedOnly = alignedOnly;
    this.maxEntryBytes = maxEntryBytes;
  }

  /** Whether any of these image paths is an aligned RAF-DB image. */
  static boolean hasAligned(List<String> imagePaths) {
    return imagePaths.stream().anyMatch(RafDbMapper::isAligned);
  }

  private static boolean isAligned(String path) {
    String base = ArchivePaths.baseName(path);
    int dot = base.lastIndexOf('.');
    return (dot < 0 ? base : base.substring(0, dot)).endsWith(ALIGNED_SUFFIX);
  }

  @Override
  public List<DatasetItem> leading() {
    return List.copyOf(labels.errors());
  }

  @Override
  public Iterator<DatasetItem> map(ArchiveFile file) {
    if (!EntryMapper.isImage(file) || (alignedOnly && !isAligned(file.path()))) {
      return Collections.emptyIterator();
    }
    String key = RafDbLabels.keyOf(ArchivePaths.baseName(file.path()));
    RafDbLabels.Labelled listed = labels.find(key);
    if (listed == null) {
      return List.<DatasetItem>of(
              new EntryError(
                  file.path(),
                  Problem.UNLABELLED,
                  file.path() + " is not listed in " + RafDbLabels.FILE_NAME))
          .iterator();
    }
    if (!seen.add(key)) {
      return Collections.emptyIterator(); // the same face twice in the archive: read once
    }
    return List.of(
            EntryMapper.readImage(
                file,
                maxEntryBytes,
                image -> new DatasetEntry(file.path(), image, listed.split(), listed.label())))
        .iterator();
  }

  @Override
  public List<DatasetItem> trailing() {
    List<DatasetItem> missing = new ArrayList<>();
    for (RafDbLabels.Labelled listed : labels.all()) {
      if (!seen.contains(listed.key())) {
        missing.add(
            new EntryError(
                labelFilePath + ":" + listed.line(),
                Problem.MISSING_IMAGE,
                "line %d lists %s but the archive has no such image"
                    .formatted(listed.line(), listed.key())));
      }
    }
    return missing;
  }
}
