package io.alfer.datasets.layout;

import io.alfer.datasets.ClassTaxonomy;
import io.alfer.datasets.DatasetRejectedException;
import io.alfer.datasets.DatasetRejectedException.Reason;
import io.alfer.datasets.archive.Archive;
import io.alfer.datasets.archive.ArchiveLimits;
import io.alfer.datasets.archive.ArchivePaths;
import io.alfer.datasets.archive.ContainerFormat;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Opens an uploaded dataset file: a zip, tar or tar.gz archive in one of the {@link Layout}s, or a
 * FER2013 CSV (plain or gzipped). Archives are walked twice: first to check limits and paths and to
 * detect the layout (the whole archive is refused before any item is read), then lazily by the
 * returned reader.
 *
 * <p>Detection, in order: a {@code list_patition_label.txt} means RAF-DB; a CSV with a FER2013
 * header means FER2013; images in {@code train/<class>/} mean image folders; mostly KDEF-named
 * images mean KDEF. Files that are not images by extension (.png, .jpg, .jpeg, .bmp, .gif) are
 * ignored by the image layouts.
 */
public final class DatasetImporter {

  private static final int HEADER_PEEK_BYTES = 4096;

  private DatasetImporter() {}

  /**
   * Opens a dataset file.
   *
   * @throws DatasetRejectedException when the file is unsafe, too large, corrupt, or matches no (or
   *     not the chosen) layout
   * @throws UncheckedIOException when the file cannot be read at all
   */
  public static DatasetReader open(Path file, ImportOptions options) {
    return open(file, file.getFileName().toString(), options);
  }

  /**
   * Opens a dataset file that stands for an upload called {@code name} (e.g. the {@code filename}
   * of a form, when the file is a server's temporary copy): a CSV's rows are named {@code
   * name:line}, and messages name {@code name} rather than the file. Archive entries are named by
   * their path inside the archive.
   *
   * @throws DatasetRejectedException when the file is unsafe, too large, corrupt, or matches no (or
   *     not the chosen) layout
   * @throws UncheckedIOException when the file cannot be read at all
   */
  public static DatasetReader open(Path file, String name, ImportOptions options) {
    ContainerFormat format;
    try {
      format = ContainerFormat.detect(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    if (format.isArchive()) {
      return openArchive(new Archive(file, format, options.limits()), options);
    }
    return openCsv(file, name, format == ContainerFormat.GZIP, options);
  }

  private static DatasetReader openArchive(Archive archive, ImportOptions options) {
    ArchiveSurvey survey = ArchiveSurvey.of(archive);
    Layout layout = options.layout().orElseGet(() -> detect(survey));
    long maxEntryBytes = options.limits().maxEntryBytes();
    return switch (layout) {
      case RAFDB -> {
        if (survey.labelFile() == null) {
          throw mismatch(layout, "the archive has no " + RafDbLabels.FILE_NAME);
        }
        RafDbLabels labels = RafDbLabels.parse(survey.labelFilePath(), survey.labelFile());
        boolean alignedOnly = RafDbMapper.hasAligned(survey.imagePaths());
        yield reader(
            layout,
            ClassTaxonomy.FER7,
            archive,
            new RafDbMapper(labels, survey.labelFilePath(), alignedOnly, maxEntryBytes),
            labels.all().size());
      }
      case KDEF -> {
        if (survey.imagePaths().isEmpty()) {
          throw mismatch(layout, "the archive holds no images");
        }
        yield reader(
            layout,
            ClassTaxonomy.FER7,
            archive,
            new KdefMapper(options.defaultSplit(), maxEntryBytes),
            survey.imagePaths().size());
      }
      case IMAGE_FOLDER -> {
        ImageFolderTree tree =
            ImageFolderTree.of(survey.imagePaths())
                .orElseThrow(() -> mismatch(layout, "no images in train/<class>/ folders"));
        yield reader(
            layout,
            tree.taxonomy(),
            archive,
            new ImageFolderMapper(tree, maxEntryBytes),
            survey.imagePaths().size());
      }
      case FER2013_CSV -> {
        if (survey.ferCsvPaths().isEmpty()) {
          throw mismatch(layout, "the archive holds no CSV with a FER2013 header");
        }
        yield reader(
            layout,
            ClassTaxonomy.FER7,
            archive,
            new Fer2013CsvMapper(new LinkedHashSet<>(survey.ferCsvPaths()), options.defaultSplit()),
            -1);
      }
    };
  }

  private static DatasetReader reader(
      Layout layout,
      ClassTaxonomy taxonomy,
      Archive archive,
      EntryMapper mapper,
      long expectedItems) {
    return new ArchiveDatasetReader(layout, taxonomy, archive.cursor(), mapper, expectedItems);
  }

  private static Layout detect(ArchiveSurvey survey) {
    if (survey.labelFile() != null) {
      return Layout.RAFDB;
    }
    if (!survey.ferCsvPaths().isEmpty()) {
      return Layout.FER2013_CSV;
    }
    if (ImageFolderTree.of(survey.imagePaths()).isPresent()) {
      return Layout.IMAGE_FOLDER;
    }
    long kdefNamed =
        survey.imagePaths().stream()
            .filter(path -> KdefName.parse(ArchivePaths.baseName(path)).isPresent())
            .count();
    if (kdefNamed > 0 && kdefNamed * 2 >= survey.imagePaths().size()) {
      return Layout.KDEF;
    }
    throw new DatasetRejectedException(
        Reason.UNKNOWN_LAYOUT,
        ("the archive matches no layout: %d images, no %s, no FER2013 CSV, no train/<class>/"
                + " folders, no KDEF names")
            .formatted(survey.imagePaths().size(), RafDbLabels.FILE_NAME));
  }

  private static DatasetReader openCsv(
      Path file, String name, boolean gzipped, ImportOptions options) {
    Optional<Layout> chosen = options.layout();
    if (chosen.isPresent() && chosen.get() != Layout.FER2013_CSV) {
      throw mismatch(chosen.get(), "the file is not an archive (zip, tar, tar.gz)");
    }
    try {
      InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
      InputStream csv =
          gzipped
              ? new LimitedStream(new GzipCompressorInputStream(raw, true), options.limits())
              : raw;
      BufferedInputStream in = new BufferedInputStream(csv, 1 << 16);
      if (!startsWithFerHeader(in)) {
        in.close();
        throw new DatasetRejectedException(
            Reason.NOT_A_DATASET,
            name + " is neither an archive (zip, tar, tar.gz) nor a FER2013 CSV");
      }
      return new Fer2013CsvReader(in, name, options.defaultSplit(), gzipped ? -1 : countRows(file));
    } catch (IOException e) {
      throw new DatasetRejectedException(
          Reason.CORRUPT_ARCHIVE, name + " cannot be read: " + e.getMessage(), e);
    }
  }

  /**
   * Lines after the header of a plain CSV file (line feeds counted eight bytes at a time; a last
   * line may lack '\\n').
   */
  private static long countRows(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 20];
      long newlines = 0;
      int last = '\n';
      int n;
      while ((n = in.read(buffer)) > 0) {
        newlines += ByteScan.lineFeeds(buffer, 0, n);
        last = buffer[n - 1];
      }
      long lines = newlines + (last == '\n' ? 0 : 1);
      return Math.max(0, lines - 1);
    }
  }

  private static boolean startsWithFerHeader(BufferedInputStream in) throws IOException {
    in.mark(HEADER_PEEK_BYTES);
    String head = new String(in.readNBytes(HEADER_PEEK_BYTES), StandardCharsets.UTF_8);
    in.reset();
    return Fer2013CsvReader.isHeader(head.split("\\R", 2)[0]);
  }

  private static DatasetRejectedException mismatch(Layout layout, String why) {
    return new DatasetRejectedException(
        Reason.LAYOUT_MISMATCH, "not a " + layout.id() + " dataset: " + why);
  }

  /** Refuses a gzipped CSV that inflates past the archive byte limit. */
  private static final class LimitedStream extends FilterInputStream {
    private final long limit;
    private long read;

    LimitedStream(InputStream in, ArchiveLimits limits) {
      super(in);
      this.limit = limits.maxTotalBytes();
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      count(b < 0 ? 0 : 1);
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      count(Math.max(0, n));
      return n;
    }

    private void count(long n) {
      read += n;
      if (read > limit) {
        throw new DatasetRejectedException(
            Reason.TOO_LARGE, "the gzipped file inflates past " + limit + " bytes");
      }
    }
  }
}
