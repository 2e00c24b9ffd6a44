package io.alfer.datasets.layout;

import io.alfer.datasets.DatasetRejectedException;
import io.alfer.datasets.DatasetRejectedException.Reason;
import io.alfer.datasets.archive.Archive;
import io.alfer.datasets.archive.ArchiveCursor;
import io.alfer.datasets.archive.ArchiveFile;
import io.alfer.datasets.archive.ArchivePaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The first walk over an archive: checks every entry against the limits and path rules, and gathers
 * what layout detection and the readers need before reading images: image paths, the RAF-DB label
 * file, and which CSVs are FER2013 CSVs.
 */
final class ArchiveSurvey {

  private static final long MAX_LABEL_FILE_BYTES = 16L << 20;
  private static final int MAX_HEADER_BYTES = 4096;

  private final List<String> imagePaths = new ArrayList<>();
  private final List<String> ferCsvPaths = new ArrayList<>();
  private String labelFilePath;
  private byte[] labelFile;

  private ArchiveSurvey() {}

  /**
   * Walks the whole archive once.
   *
   * @throws DatasetRejectedException when the archive breaks a limit, holds an escaping path, or is
   *     corrupt
   */
  static ArchiveSurvey of(Archive archive) {
    ArchiveSurvey survey = new ArchiveSurvey();
    try (ArchiveCursor cursor = archive.cursor()) {
      for (ArchiveFile file = cursor.next(); file != null; file = cursor.next()) {
        survey.visit(file);
      }
    } catch (IOException e) {
      throw new DatasetRejectedException(
          Reason.CORRUPT_ARCHIVE, "archive cannot be read: " + e.getMessage(), e);
    }
    return survey;
  }

  private void visit(ArchiveFile file) throws IOException {
    String path = file.path();
    String base = ArchivePaths.baseName(path);
    if (isImageName(base)) {
      imagePaths.add(path);
    } else if (base.equalsIgnoreCase(RafDbLabels.FILE_NAME) && labelFile == null) {
      labelFilePath = path;
      labelFile = file.readAll(MAX_LABEL_FILE_BYTES);
    } else if (base.toLowerCase(Locale.ROOT).endsWith(".csv") && isFerCsv(file)) {
      ferCsvPaths.add(path);
    }
  }

  private static boolean isFerCsv(ArchiveFile file) throws IOException {
    try (InputStream in = file.open()) {
      String head = new String(in.readNBytes(MAX_HEADER_BYTES), StandardCharsets.UTF_8);
      return Fer2013CsvReader.isHeader(head.split("\\R", 2)[0]);
    }
  }

  /** Whether a file name has an image extension: png, jpg, jpeg, bmp or gif (any case). */
  static boolean isImageName(String fileName) {
    String name = fileName.toLowerCase(Locale.ROOT);
    return name.endsWith(".png")
        || name.endsWith(".jpg")
        || name.endsWith(".jpeg")
        || name.endsWith(".bmp")
        || name.endsWith(".gif");
  }

  /** Paths of files with an image extension, in archive order. */
  List<String> imagePaths() {
    return imagePaths;
  }

  /** Paths of CSVs whose first line is a FER2013 header, in archive order. */
  List<String> ferCsvPaths() {
    return ferCsvPaths;
  }

  /** Path of the first RAF-DB label file, or {@code null}. */
  String labelFilePath() {
    return labelFilePath;
  }

  /** Content of the first RAF-DB label file, or {@code null}. */
  byte[] labelFile() {
    return labelFile;
  }
}
