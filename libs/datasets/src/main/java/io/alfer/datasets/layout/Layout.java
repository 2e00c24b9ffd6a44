package io.alfer.datasets.layout;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The dataset layouts alfer imports. */
public enum Layout {
  /** FER2013 CSV: {@code emotion,pixels,Usage} rows of 48×48 gray pixels. */
  FER2013_CSV("fer2013-csv"),
  /** RAF-DB basic: {@code list_patition_label.txt} plus {@code train_*} / {@code test_*} images. */
  RAFDB("rafdb"),
  /** KDEF: expression coded in file names such as {@code AF01ANS.JPG}. */
  KDEF("kdef"),
  /** {@code {train,val|test}/<class>/<image>}, classes from the folder names. */
  IMAGE_FOLDER("image-folder");

  private final String id;

  Layout(String id) {
    this.id = id;
  }

  /** The layout's name on the wire, e.g. {@code fer2013-csv}. */
  public String id() {
    return id;
  }

  /**
   * The layout of a wire name, ignoring case.
   *
   * @throws IllegalArgumentException naming the known layouts when {@code id} is none of them
   */
  public static Layout fromId(String id) {
    String key = id.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(layout -> layout.id.equals(key))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown layout '%s', known: %s"
                        .formatted(
                            id,
                            Arrays.stream(values())
                                .map(Layout::id)
                                .collect(Collectors.joining(", ")))));
  }
}
