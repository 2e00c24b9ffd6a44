package io.alfer.datasets.layout;

/**
 * A file or row that was skipped; reading goes on with the next one.
 *
 * @param source archive path or {@code file.csv:line}
 * @param problem the kind of problem
 * @param message what exactly is wrong, for the import report
 */
public record EntryError(String source, Problem problem, String message) implements DatasetItem {

  /** Kinds of per-entry problems. */
  public enum Problem {
    /** A CSV row that is malformed: pixel count, non-number, label or Usage out of range. */
    BAD_ROW,
    /** A line of a label file that is malformed or names an unknown label. */
    BAD_LABEL_LINE,
    /** An image whose name does not follow the layout's naming (e.g. a KDEF code). */
    UNRECOGNISED_NAME,
    /** An image outside the layout's folder structure. */
    UNEXPECTED_PATH,
    /** An image that the label file does not list. */
    UNLABELLED,
    /** A label-file line whose image is not in the archive. */
    MISSING_IMAGE,
    /** A file over the per-file size limit. */
    TOO_LARGE,
    /** A file that cannot be read (unsupported zip method, encryption). */
    UNREADABLE
  }
}
