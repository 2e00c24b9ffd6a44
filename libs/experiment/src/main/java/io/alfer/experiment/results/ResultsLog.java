package io.alfer.experiment.results;

import io.alfer.experiment.config.Cell;
import io.alfer.experiment.config.Mode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The append-only results file {@value #FILE_NAME}: one line per (strategy, mode, seed, round),
 * written whole and forced to disk before the round counts as done. Opening it checks the header
 * (the dataset's classes are columns) and that no round appears twice. A last line without its line
 * end can only be the remains of a write cut short (the process was killed mid-line); it is
 * removed, and said so, since that round is then run again. The lines are CSV in the dialect of
 * {@link CsvFiles}, the same bytes as the former hand-written code wrote, so a file it wrote is
 * read and appended to.
 */
public final class ResultsLog implements AutoCloseable {
  public static final String FILE_NAME = "results.csv";

  private static final List<String> LEADING =
      List.of("strategy", "mode", "seed", "round", "labelled", "accuracy");
  private static final List<String> TRAILING =
      List.of(
          "seconds",
          "select_seconds",
          "train_seconds",
          "cpu_seconds",
          "load_average",
          "epochs",
          "train_accuracy",
          "initial_set",
          "finished_at");

  private final Path file;
  private final List<String> header;
  private final int classes;
  private final List<ResultRow> rows = new ArrayList<>();
  private final Map<String, ResultRow> byKey = new HashMap<>();
  private final FileChannel channel;

  private ResultsLog(Path file, List<String> header, int classes, FileChannel channel) {
    this.file = file;
    this.header = header;
    this.classes = classes;
    this.channel = channel;
  }

  /**
   * Opens (or creates) the log in {@code directory} for a dataset with these classes.
   *
   * @param notes receives a line for anything repaired
   * @throws IllegalStateException when the file's header differs, a line is malformed, or a round
   *     appears twice
   */
  public static ResultsLog open(Path directory, List<String> classNames, Consumer<String> notes) {
    Path file = directory.resolve(FILE_NAME);
    List<String> header = header(classNames);
    try {
      Files.createDirectories(directory);
      if (!Files.exists(file)) {
        AtomicFiles.write(file, CsvFiles.line(header).getBytes(StandardCharsets.UTF_8));
      }
      String content = Files.readString(file, StandardCharsets.UTF_8);
      int lastEnd = content.lastIndexOf('\n');
      if (lastEnd < 0) {
        throw new IllegalStateException(file + " has no header line; it is not a results file");
      }
      if (lastEnd < content.length() - 1) {
        String partial = content.substring(lastEnd + 1);
        try (FileChannel truncate = FileChannel.open(file, StandardOpenOption.WRITE)) {
          truncate.truncate(content.getBytes(StandardCharsets.UTF_8).length - bytes(partial));
          truncate.force(true);
        }
        notes.accept(
            "removed an incomplete last line of "
                + file
                + " (a write cut short by an interrupted run): "
                + abbreviate(partial));
        content = content.substring(0, lastEnd + 1);
      }
      List<CsvFiles.Line> lines;
      try {
        lines = CsvFiles.parse(content);
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(file + " is malformed: " + e.getMessage(), e);
      }
      List<String> found = lines.isEmpty() ? List.of() : lines.get(0).fields();
      if (!found.equals(header)) {
        throw new IllegalStateException(
            file
                + " has the columns "
                + found
                + ", but this experiment writes "
                + header
                + "; it belongs to another dataset or version: use another results directory");
      }
      FileChannel channel =
          FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      ResultsLog log = new ResultsLog(file, header, classNames.size(), channel);
      for (CsvFiles.Line line : lines.subList(1, lines.size())) {
        ResultRow row;
        try {
          row = log.parse(line.fields());
        } catch (RuntimeException e) {
          channel.close();
          throw new IllegalStateException(
              file
                  + " line "
                  + line.number()
                  + " is malformed ("
                  + e.getMessage()
                  + "): "
                  + line.text(),
              e);
        }
        if (log.byKey.containsKey(row.key())) {
          channel.close();
          throw new IllegalStateException(
              file
                  + " holds "
                  + row.cell().label()
                  + " round "
                  + row.round()
                  + " twice (line "
                  + line.number()
                  + "); the results are ambiguous, fix the file by hand");
        }
        log.byKey.put(row.key(), row);
        log.rows.add(row);
      }
      return log;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
    }
  }

  /** The columns for a dataset's classes. */
  public static List<String> header(List<String> classNames) {
    List<String> header = new ArrayList<>(LEADING);
    for (String name : classNames) {
      header.add("acc_" + name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_"));
    }
    header.addAll(TRAILING);
    return List.copyOf(header);
  }

  /** Every row, in file order. */
  public synchronized List<ResultRow> rows() {
    return List.copyOf(rows);
  }

  /** The rounds of a cell already in the log, ascending. */
  public synchronized TreeSet<Integer> roundsOf(Cell cell) {
    TreeSet<Integer> rounds = new TreeSet<>();
    for (ResultRow row : rows) {
      if (row.cell().equals(cell)) {
        rounds.add(row.round());
      }
    }
    return rounds;
  }

  /** Whether the log holds this cell's round. */
  public synchronized boolean contains(Cell cell, int round) {
    return byKey.containsKey(cell.fileKey() + "@" + round);
  }

  /**
   * Appends a row and forces it to disk.
   *
   * @throws IllegalStateException when the log already holds that round (results are never
   *     overwritten or repeated)
   */
  public synchronized void append(ResultRow row) {
    if (byKey.containsKey(row.key())) {
      throw new IllegalStateException(
          "refusing to log " + row.cell().label() + " round " + row.round() + " twice");
    }
    if (row.perClassAccuracy().length != classes) {
      throw new IllegalArgumentException(
          "row has " + row.perClassAccuracy().length + " class accuracies, expected " + classes);
    }
    byte[] line = CsvFiles.line(fields(row)).getBytes(StandardCharsets.UTF_8);
    try {
      ByteBuffer buffer = ByteBuffer.wrap(line);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
    }
    byKey.put(row.key(), row);
    rows.add(row);
  }

  /** The file. */
  public Path file() {
    return file;
  }

  /** The columns. */
  public List<String> header() {
    return header;
  }

  @Override
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> fields(ResultRow r) {
    List<String> fields = new ArrayList<>();
    fields.add(r.strategy());
    fields.add(r.mode().label());
    fields.add(Long.toString(r.seed()));
    fields.add(Integer.toString(r.round()));
    fields.add(Integer.toString(r.labelled()));
    fields.add(number(r.accuracy()));
    for (double a : r.perClassAccuracy()) {
      fields.add(number(a));
    }
    fields.add(CsvFiles.fixed(r.seconds(), 3));
    fields.add(CsvFiles.fixed(r.selectSeconds(), 3));
    fields.add(CsvFiles.fixed(r.trainSeconds(), 3));
    fields.add(CsvFiles.fixed(r.cpuSeconds(), 3));
    fields.add(CsvFiles.fixed(r.loadAverage(), 2));
    fields.add(Integer.toString(r.epochs()));
    fields.add(number(r.trainAccuracy()));
    fields.add(r.initialSet());
    fields.add(r.finishedAt().toString());
    return fields;
  }

  private ResultRow parse(List<String> fields) {
    if (fields.size() != header.size()) {
      throw new IllegalArgumentException(fields.size() + " fields, expected " + header.size());
    }
    String[] f = fields.toArray(String[]::new);
    int i = 0;
    String strategy = f[i++];
    Mode mode = Mode.of(f[i++]);
    long seed = Long.parseLong(f[i++]);
    int round = Integer.parseInt(f[i++]);
    int labelled = Integer.parseInt(f[i++]);
    double accuracy = Double.parseDouble(f[i++]);
    double[] perClass = new double[classes];
    for (int k = 0; k < classes; k++) {
      perClass[k] = Double.parseDouble(f[i++]);
    }
    double seconds = Double.parseDouble(f[i++]);
    double select = Double.parseDouble(f[i++]);
    double train = Double.parseDouble(f[i++]);
    double cpu = Double.parseDouble(f[i++]);
    double load = Double.parseDouble(f[i++]);
    int epochs = Integer.parseInt(f[i++]);
    double trainAccuracy = Double.parseDouble(f[i++]);
    String initial = f[i++];
    Instant at = Instant.parse(f[i]);
    return new ResultRow(
        strategy,
        mode,
        seed,
        round,
        labelled,
        accuracy,
        perClass,
        seconds,
        select,
        train,
        cpu,
        load,
        epochs,
        trainAccuracy,
        initial,
        at);
  }

  private static String number(double v) {
    return Double.isNaN(v) ? "NaN" : CsvFiles.fixed(v, 6);
  }

  private static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }
}
