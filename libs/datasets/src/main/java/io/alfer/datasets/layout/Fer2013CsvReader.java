package io.alfer.datasets.layout;

import io.alfer.datasets.ClassTaxonomy;
import io.alfer.datasets.DatasetRejectedException;
import io.alfer.datasets.DatasetRejectedException.Reason;
import io.alfer.datasets.layout.EntryError.Problem;
import io.alfer.proto.v1.Split;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;

/**
 * Streams a FER2013 CSV ({@code emotion,pixels,Usage}; columns in any order): one row at a time,
 * each a 48×48 image of 2304 space-separated gray levels. {@code Usage} Training goes to the pool,
 * PublicTest and PrivateTest to test; without a Usage column every row gets the default split.
 * Without an emotion column rows are unlabelled. Bad rows become {@link EntryError}s naming their
 * line and reading goes on.
 */
public final class Fer2013CsvReader implements DatasetReader {

  /** Side of a FER2013 image. */
  public static final int SIDE = 48;

  private final long expectedRows;

  /** Source format recorded for the images of a FER2013 CSV. */
  public static final String SOURCE_FORMAT = Layout.FER2013_CSV.id();

  private static final int PIXELS = SIDE * SIDE;
  private static final int MAX_LINE_CHARS = 64 * 1024;

  private final InputStream input;
  private final BoundedLineReader lines;
  private final String name;
  private final Split defaultSplit;
  private final CsvHeader header;
  private int lineNumber = 1;
  private DatasetItem next;

  /**
   * Reads the header of a FER2013 CSV.
   *
   * @param input the CSV bytes (UTF-8 or ASCII); closed by {@link #close()}
   * @param name the file's name, used in item sources ({@code name:line})
   * @param defaultSplit the split of rows when there is no Usage column
   * @throws DatasetRejectedException with {@link Reason#LAYOUT_MISMATCH} when the first line is not
   *     a FER2013 header
   */
  public Fer2013CsvReader(InputStream input, String name, Split defaultSplit) {
    this(input, name, defaultSplit, -1);
  }

  /**
   * As {@link #Fer2013CsvReader(InputStream, String, Split)}, knowing how many rows follow the
   * header (for progress), or -1.
   */
  public Fer2013CsvReader(InputStream input, String name, Split defaultSplit, long expectedRows) {
    this.expectedRows = expectedRows;
    this.input = input;
    this.lines =
        new BoundedLineReader(
            new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8), 1 << 16),
            MAX_LINE_CHARS);
    this.name = name;
    this.defaultSplit = defaultSplit;
    BoundedLineReader.Line first = readLine();
    this.header = first == null || first.tooLong() ? null : CsvHeader.parse(first.text());
    if (header == null) {
      close();
      throw new DatasetRejectedException(
          Reason.LAYOUT_MISMATCH,
          name + " does not start with a FER2013 header such as 'emotion,pixels,Usage'");
    }
  }

  /** Whether a CSV's first line is a FER2013 header (a pixels column plus emotion or Usage). */
  public static boolean isHeader(String firstLine) {
    return CsvHeader.parse(firstLine) != null;
  }

  @Override
  public long expectedItems() {
    return expectedRows;
  }

  @Override
  public Layout layout() {
    return Layout.FER2013_CSV;
  }

  @Override
  public ClassTaxonomy taxonomy() {
    return ClassTaxonomy.FER7;
  }

  @Override
  public boolean hasNext() {
    while (next == null) {
      BoundedLineReader.Line line = readLine();
      if (line == null) {
        return false;
      }
      lineNumber++;
      if (line.tooLong()) {
        next = error("line is longer than " + MAX_LINE_CHARS + " characters");
      } else if (!line.text().isBlank()) {
        next = parseRow(line.text());
      }
    }
    return true;
  }

  @Override
  public DatasetItem next() {
    if (!hasNext()) {
      throw new NoSuchElementException(name + " has no more rows");
    }
    DatasetItem item = next;
    next = null;
    return item;
  }

  private DatasetItem parseRow(String line) {
    List<String> fields = CsvHeader.fields(line);
    if (fields.size() != header.columns()) {
      return error("has %d fields, the header %d".formatted(fields.size(), header.columns()));
    }
    int label = DatasetEntry.NO_LABEL;
    if (header.emotion() >= 0) {
      String emotion = fields.get(header.emotion()).strip();
      label = parseLabel(emotion);
      if (label < 0) {
        return error("emotion '" + emotion + "' is not a label 0..6");
      }
    }
    Split split = defaultSplit;
    if (header.usage() >= 0) {
      String usage = fields.get(header.usage()).strip();
      split = parseUsage(usage);
      if (split == null) {
        return error("Usage '" + usage + "' is not Training, PublicTest or PrivateTest");
      }
    }
    byte[] pixels = new byte[PIXELS];
    String problem = parsePixels(fields.get(header.pixels()), pixels);
    if (problem != null) {
      return error(problem);
    }
    return new DatasetEntry(
        source(), new ImageData.GrayPixels(pixels, SIDE, SIDE, SOURCE_FORMAT), split, label);
  }

  private static int parseLabel(String emotion) {
    if (emotion.length() == 1 && emotion.charAt(0) >= '0' && emotion.charAt(0) <= '6') {
      return emotion.charAt(0) - '0';
    }
    return -1;
  }

  private static Split parseUsage(String usage) {
    return switch (usage.toLowerCase(Locale.ROOT)) {
      case "training" -> Split.SPLIT_POOL;
      case "publictest", "privatetest" -> Split.SPLIT_TEST;
      default -> null;
    };
  }

  /** Fills {@code out} from space-separated levels; the problem, or {@code null} when fine. */
  private static String parsePixels(String text, byte[] out) {
    int count = 0;
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == ' ' || c == '\t') {
        i++;
        continue;
      }
      int value = 0;
      int start = i;
      while (i < n && text.charAt(i) != ' ' && text.charAt(i) != '\t') {
        char d = text.charAt(i);
        if (d < '0' || d > '9' || i - start >= 3) {
          return "pixel %d is not a number 0..255: '%s'".formatted(count + 1, token(text, start));
        }
        value = value * 10 + (d - '0');
        i++;
      }
      if (value > 255) {
        return "pixel %d is %d, over 255".formatted(count + 1, value);
      }
      if (count == PIXELS) {
        return "has more than " + PIXELS + " pixels";
      }
      out[count++] = (byte) value;
    }
    return count == PIXELS ? null : "has %d pixels, expected %d (48x48)".formatted(count, PIXELS);
  }

  private static String token(String text, int start) {
    int end = start;
    while (end < text.length() && end - start < 20 && text.charAt(end) != ' ') {
      end++;
    }
    return text.substring(start, end);
  }

  private EntryError error(String message) {
    return new EntryError(source(), Problem.BAD_ROW, "line " + lineNumber + " " + message);
  }

  private String source() {
    return name + ":" + lineNumber;
  }

  private BoundedLineReader.Line readLine() {
    try {
      return lines.next();
    } catch (IOException e) {
      throw new DatasetRejectedException(
          Reason.CORRUPT_ARCHIVE, "cannot read " + name + " past line " + lineNumber, e);
    }
  }

  @Override
  public void close() {
    try {
      input.close();
    } catch (IOException e) {
      // read-only input: nothing to flush
    }
  }
}
