package io.alfer.datasets.layout;

import io.alfer.proto.v1.Split;

/**
 * One image of a dataset with its split and ground-truth label.
 *
 * @param source archive path or {@code file.csv:line}
 * @param image the picture, not yet validated: normalising it may still fail
 * @param split pool or test
 * @param label index into the reader's taxonomy, or {@link #NO_LABEL}
 */
public record DatasetEntry(String source, ImageData image, Split split, int label)
    implements DatasetItem {

  /** The label of an entry whose class is unknown. */
  public static final int NO_LABEL = -1;

  /**
   * Validates the split and label.
   *
   * @throws IllegalArgumentException when the split is not pool or test, or the label is below -1
   */
  public DatasetEntry {
    if (split != Split.SPLIT_POOL && split != Split.SPLIT_TEST) {
      throw new IllegalArgumentException(source + ": split must be pool or test, got " + split);
    }
    if (label < NO_LABEL) {
      throw new IllegalArgumentException(source + ": label " + label + " is below -1");
    }
  }

  /** Whether the entry has a ground-truth label. */
  public boolean labelled() {
    return label != NO_LABEL;
  }
}
