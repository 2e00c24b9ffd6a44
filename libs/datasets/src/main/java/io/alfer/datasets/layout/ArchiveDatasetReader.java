package io.alfer.datasets.layout;

import io.alfer.datasets.ClassTaxonomy;
import io.alfer.datasets.archive.ArchiveCursor;
import io.alfer.datasets.archive.ArchiveFile;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/** The second walk over an archive: each file through the layout's {@link EntryMapper}. */
final class ArchiveDatasetReader implements DatasetReader {

  private final Layout layout;
  private final ClassTaxonomy taxonomy;
  private final ArchiveCursor cursor;
  private final EntryMapper mapper;
  private final Deque<DatasetItem> pending;
  private Iterator<DatasetItem> current = Collections.emptyIterator();
  private boolean filesDone;
  private final long expectedItems;

  ArchiveDatasetReader(
      Layout layout,
      ClassTaxonomy taxonomy,
      ArchiveCursor cursor,
      EntryMapper mapper,
      long expectedItems) {
    this.expectedItems = expectedItems;
    this.layout = layout;
    this.taxonomy = taxonomy;
    this.cursor = cursor;
    this.mapper = mapper;
    this.pending = new ArrayDeque<>(mapper.leading());
  }

  @Override
  public long expectedItems() {
    return expectedItems;
  }

  @Override
  public Layout layout() {
    return layout;
  }

  @Override
  public ClassTaxonomy taxonomy() {
    return taxonomy;
  }

  @Override
  public boolean hasNext() {
    while (pending.isEmpty()) {
      if (current.hasNext()) {
        pending.add(current.next());
      } else if (filesDone) {
        return false;
      } else {
        ArchiveFile file = cursor.next();
        if (file == null) {
          filesDone = true;
          pending.addAll(mapper.trailing());
        } else {
          current = mapper.map(file);
        }
      }
    }
    return true;
  }

  @Override
  public DatasetItem next() {
    if (!hasNext()) {
      throw new NoSuchElementException("the archive has no more items");
    }
    return pending.removeFirst();
  }

  @Override
  public void close() {
    cursor.close();
  }
}
