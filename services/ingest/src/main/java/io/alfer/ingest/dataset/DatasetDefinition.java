package io.alfer.ingest.dataset;

import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * What a dataset is: its classes (label order) and the canonical square size of its images.
 *
 * @param name dataset name
 * @param classes class names in label order
 * @param size canonical side length in pixels
 * @param layout layout it was first imported from
 */
public record DatasetDefinition(String name, List<String> classes, int size, String layout) {
  /** Allowed dataset names: they become object-key prefixes and topic keys. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  /** Smallest and largest canonical size accepted. */
  public static final int MIN_SIZE = 8;

  public static final int MAX_SIZE = 512;

  public DatasetDefinition {
    classes = List.copyOf(classes);
  }

  /** The label index of a class name (case-insensitive), or a decimal index in range. */
  public OptionalInt labelOf(String label) {
    String wanted = label.trim().toLowerCase(Locale.ROOT);
    for (int i = 0; i < classes.size(); i++) {
      if (classes.get(i).toLowerCase(Locale.ROOT).equals(wanted)) {
        return OptionalInt.of(i);
      }
    }
    return OptionalInt.empty();
  }

  /** Whether another definition describes the same dataset (layout aside). */
  public boolean sameShape(DatasetDefinition other) {
    return classes.equals(other.classes) && size == other.size;
  }
}
