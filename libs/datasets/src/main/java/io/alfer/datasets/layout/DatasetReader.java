package io.alfer.datasets.layout;

import io.alfer.datasets.ClassTaxonomy;
import java.io.Closeable;
import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A single pass over a dataset's items, read lazily: memory holds one entry at a time (plus a
 * layout's label list). Close it when done.
 *
 * <p>{@link #next()} may throw {@link io.alfer.datasets.DatasetRejectedException} when the archive
 * turns out to be corrupt part-way.
 */
public interface DatasetReader extends Iterator<DatasetItem>, Closeable {

  /** The layout being read. */
  Layout layout();

  /** The class names that entry labels index, known before the first item. */
  ClassTaxonomy taxonomy();

  /**
   * How many items the dataset holds, for progress reports: counted up front where that is cheap
   * (CSV lines, archive entries), or -1 when unknown. An estimate: skipped files and rows count.
   */
  default long expectedItems() {
    return -1;
  }

  /** The remaining items as a sequential stream; closing the stream closes this reader. */
  default Stream<DatasetItem> stream() {
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .onClose(this::close);
  }

  @Override
  void close();
}
