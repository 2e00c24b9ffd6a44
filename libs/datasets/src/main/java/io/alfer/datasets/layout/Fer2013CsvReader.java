package io.alfer.datasets.layout;

import io.alfer.datasets.ClassTaxonomy;
import io.alfer.datasets.DatasetRejectedException;
import io.alfer.datasets.DatasetRejectedException.Reason;
import io.alfer.datasets.layout.EntryError.Problem;
import io.alfer.proto.v1.Split;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.NoSuchElementException;

/**
 * Streams a FER2013 CSV ({@code emotion,pixels,Usage}; columns in any order): one row at a time,
 * each a 48×48 image of 2304 space-separated gray levels. {@code Usage} Training goes to the pool,
 * PublicTest and PrivateTest to test; without a Usage column every row gets the default split.
 * Without an emotion column rows are unlabelled. Bad rows become {@link EntryError}s naming their
 * line and reading goes on. Rows are parsed from their bytes, not decoded to text first: a FER2013
 * CSV is some 300 MB of digits.
 */
public final class Fer2013CsvReader implements DatasetReader {

  /** Side of a FER2013 image. */
  public static final int SIDE = 48;

  /** Source format recorded for the images of a FER2013 CSV. */
  public static final String SOURCE_FORMAT = Layout.FER2013_CSV.id();

  private static final int PIXELS = SIDE * SIDE;
  private static final int MAX_LINE_BYTES = 64 * 1024;

  private final long expectedRows;
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
    this.lines = new BoundedLineReader(input, MAX_LINE_BYTES);
    this.name = name;
    this.defaultSplit = defaultSplit;
    BoundedLineReader.Line first = readLine();
    this.header =
        first == null || first.tooLong()
            ? null
            : CsvHeader.parse(new String(first.bytes(), StandardCharsets.UTF_8));
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
        next = error(lineNumber, "line is longer than " + MAX_LINE_BYTES + " bytes");
      } else if (!blank(line.bytes())) {
        next = parseRow(line.bytes(), lineNumber);
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

  /**
   * A row's item: its fields split at commas (blanks around a field and surrounding quotes
   * dropped), the emotion and Usage checked, the pixels parsed straight from the bytes.
   */
  private DatasetItem parseRow(byte[] line, int number) {
    int fields = ByteScan.commas(line, 0, line.length) + 1;
    if (fields != header.columns()) {
      return error(number, "has %d fields, the header %d".formatted(fields, header.columns()));
    }
    int[] bounds = new int[fields + 1]; // field i is [bounds[i], bounds[i + 1] - 1)
    for (int i = 1; i < fields; i++) {
      bounds[i] = ByteScan.comma(line, bounds[i - 1], line.length) + 1;
    }
    bounds[fields] = line.length + 1;
    int label = DatasetEntry.NO_LABEL;
    if (header.emotion() >= 0) {
      String emotion = text(line, bounds, header.emotion()).strip();
      label = parseLabel(emotion);
      if (label < 0) {
        return error(number, "emotion '" + emotion + "' is not a label 0..6");
      }
    }
    Split split = defaultSplit;
    if (header.usage() >= 0) {
      String usage = text(line, bounds, header.usage()).strip();
      split = parseUsage(usage);
      if (split == null) {
        return error(number, "Usage '" + usage + "' is not Training, PublicTest or PrivateTest");
      }
    }
    byte[] pixels = new byte[PIXELS];
    int from = bounds[header.pixels()];
    int to = bounds[header.pixels() + 1] - 1;
    while (from < to && blank(line[from])) {
      from++;
    }
    while (to > from && blank(line[to - 1])) {
      to--;
    }
    if (to - from >= 2 && line[from] == '"' && line[to - 1] == '"') {
      from++;
      to--;
    }
    String problem = parsePixels(line, from, to, pixels);
    if (problem != null) {
      return error(number, problem);
    }
    return new DatasetEntry(
        source(number), new ImageData.GrayPixels(pixels, SIDE, SIDE, SOURCE_FORMAT), split, label);
  }

  /** Field {@code i} as text, as {@link CsvHeader#fields} gives it. */
  private static String text(byte[] line, int[] bounds, int i) {
    int from = bounds[i];
    return CsvHeader.field(
        new String(line, from, bounds[i + 1] - 1 - from, StandardCharsets.UTF_8));
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

  /**
   * Fills {@code out} from levels separated by spaces or tabs in {@code line[from, to)}; the
   * problem, or {@code null} when fine. A row as FER2013 writes it (levels of one to three digits,
   * one space apart) takes the quick way; anything else, the careful one that says what is wrong.
   */
  private static String parsePixels(byte[] line, int from, int to, byte[] out) {
    return parseWellFormed(line, from, to, out) ? null : parseCarefully(line, from, to, out);
  }

  /**
   * Whether the levels are {@value #PIXELS} numbers 0..255 one space apart, parsed into {@code
   * out}.
   */
  private static boolean parseWellFormed(byte[] line, int from, int to, byte[] out) {
    int i = from;
    for (int count = 0; count < PIXELS; count++) {
      if (count > 0) {
        if (i >= to || line[i] != ' ') {
          return false;
        }
        i++;
      }
      if (i >= to) {
        return false;
      }
      int value = line[i++] - '0';
      if (value < 0 || value > 9) {
        return false;
      }
      for (int digits = 1; i < to && line[i] != ' '; digits++) {
        int d = line[i++] - '0';
        if (d < 0 || d > 9 || digits == 3) {
          return false;
        }
        value = value * 10 + d;
      }
      if (value > 255) {
        return false;
      }
      out[count] = (byte) value;
    }
    return i == to;
  }

  private static String parseCarefully(byte[] line, int from, int to, byte[] out) {
    int count = 0;
    int i = from;
    while (i < to) {
      byte c = line[i];
      if (c == ' ' || c == '\t') {
        i++;
        continue;
      }
      int value = 0;
      int start = i;
      while (i < to && line[i] != ' ' && line[i] != '\t') {
        byte d = line[i];
        if (d < '0' || d > '9' || i - start >= 3) {
          return "pixel %d is not a number 0..255: '%s'"
              .formatted(count + 1, token(line, start, to));
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

  private static String token(byte[] line, int start, int to) {
    int end = start;
    while (end < to && end - start < 20 && line[end] != ' ') {
      end++;
    }
    return new String(line, start, end - start, StandardCharsets.UTF_8);
  }

  /** Whether a line holds only blanks. */
  private static boolean blank(byte[] line) {
    for (byte b : line) {
      if (b < 0) {
        return new String(line, StandardCharsets.UTF_8).isBlank(); // other than ASCII: decode
      }
      if (!blank(b)) {
        return false;
      }
    }
    return true;
  }

  private static boolean blank(byte b) {
    return b >= 0 && Character.isWhitespace(b);
  }

  private EntryError error(int number, String message) {
    return new EntryError(source(number), Problem.BAD_ROW, "line " + number + " " + message);
  }

  private String source(int number) {
    return name + ":" + number;
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
