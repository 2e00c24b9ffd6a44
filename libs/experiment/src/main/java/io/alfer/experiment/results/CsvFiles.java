package io.alfer.experiment.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * The CSV dialect of every file the experiment writes ({@code results.csv}, {@code table1.csv},
 * {@code gains.csv}), read and written by Apache Commons CSV: RFC 4180, comma-separated, a field
 * quoted only when it needs it (a comma, a double quote or a line break in it, a leading or
 * trailing space, a first character up to {@code #}), every line ending in {@code \n}, empty lines
 * skipped when reading. The experiment's fields (strategy and mode names, numbers, {@code NaN},
 * instants) need no quoting, so the files are byte for byte those that the former hand-written code
 * wrote (it joined fields with commas and never quoted), and those files read as before.
 */
public final class CsvFiles {
  /** The dialect. */
  public static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();

  private CsvFiles() {}

  /** One record as a line, with its line end. */
  public static String line(Iterable<?> fields) {
    StringBuilder out = new StringBuilder();
    try {
      new CSVPrinter(out, FORMAT).printRecord(fields);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringBuilder does not throw
    }
    return out.toString();
  }

  /** A whole file: the header line, then one line per row. */
  public static String document(List<String> header, List<? extends Iterable<?>> rows) {
    StringBuilder out = new StringBuilder(line(header));
    rows.forEach(row -> out.append(line(row)));
    return out.toString();
  }

  /**
   * A file's records with the line each ends on (1-based; a record is one line in these files).
   *
   * @throws IllegalArgumentException when the text is not CSV (e.g. a quote left open), naming the
   *     line
   */
  public static List<Line> parse(String text) {
    List<Line> lines = new ArrayList<>();
    try (CSVParser parser = CSVParser.parse(text, FORMAT)) {
      for (CSVRecord record : parser) {
        lines.add(new Line(parser.getCurrentLineNumber(), List.of(record.values())));
      }
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalArgumentException("not CSV: " + e.getMessage(), e);
    }
    return lines;
  }

  /** {@code v} with {@code decimals} digits after the point, in the root locale. */
  public static String fixed(double v, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  /**
   * One record.
   *
   * @param number the line it ends on, 1-based
   * @param fields its fields, unquoted
   */
  public record Line(long number, List<String> fields) {
    /** The record as it is written. */
    public String text() {
      String line = line(fields);
      return line.substring(0, line.length() - 1);
    }
  }
}
