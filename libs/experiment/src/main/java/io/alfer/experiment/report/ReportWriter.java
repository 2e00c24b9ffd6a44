package io.alfer.experiment.report;

import io.alfer.experiment.config.Mode;
import io.alfer.experiment.config.Protocol;
import io.alfer.experiment.data.ExperimentData;
import io.alfer.experiment.report.Summary.Stat;
import io.alfer.experiment.results.AtomicFiles;
import io.alfer.experiment.results.ResultRow;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Writes what is derived from the results, replacing the previous version each time (the results
 * log itself is never touched): {@value #TABLE_MD} and {@value #TABLE_CSV} (Table I, per round,
 * gains, headline), {@value #GAINS_CSV}, {@code plots/<strategy>.png} (accuracy against labelled
 * images, both modes), {@code plots/scratch.png} and {@code plots/pretrained.png} (every strategy),
 * and {@value #HTML}, which holds the tables and the plots in one file.
 */
public final class ReportWriter {
  public static final String TABLE_MD = "table1.md";
  public static final String TABLE_CSV = "table1.csv";
  public static final String GAINS_CSV = "gains.csv";
  public static final String HTML = "report.html";
  public static final String PLOTS = "plots";

  private static final Color SCRATCH_COLOUR = new Color(0x1f77b4);
  private static final Color PRETRAINED_COLOUR = new Color(0xff7f0e);

  private ReportWriter() {}

  /** Writes every derived file for these rows. */
  public static void write(
      Path directory, Protocol protocol, ExperimentData data, List<ResultRow> rows) {
    Tables.Context context =
        new Tables.Context(
            "Active learning on " + protocol.dataset() + " (" + protocol.encoderPreset() + ")",
            data.poolSize(),
            details(protocol, data),
            majorityAccuracy(data.test().labels(), data.catalog().classes().size()));
    write(directory, context, rows);
  }

  /** Writes every derived file for these rows with a given context. */
  public static void write(Path directory, Tables.Context context, List<ResultRow> rows) {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    Summary summary = new Summary(rows);
    try {
      Files.createDirectories(directory.resolve(PLOTS));
      writeAtomically(
          directory.resolve(TABLE_MD),
          Tables.markdown(summary, context).getBytes(StandardCharsets.UTF_8));
      writeAtomically(
          directory.resolve(TABLE_CSV),
          Tables.csv(summary, context.poolSize()).getBytes(StandardCharsets.UTF_8));
      writeAtomically(
          directory.resolve(GAINS_CSV), Tables.gainsCsv(summary).getBytes(StandardCharsets.UTF_8));
      Map<String, byte[]> plots = plots(summary, context.majorityAccuracy());
      for (Map.Entry<String, byte[]> plot : plots.entrySet()) {
        writeAtomically(directory.resolve(PLOTS).resolve(plot.getKey() + ".png"), plot.getValue());
      }
      writeAtomically(
          directory.resolve(HTML),
          HtmlReport.render(summary, context, plots).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report into " + directory, e);
    }
  }

  /** The accuracy of always guessing the most frequent label. */
  public static double majorityAccuracy(int[] labels, int classes) {
    int[] counts = new int[classes];
    int max = 0;
    for (int label : labels) {
      max = Math.max(max, ++counts[label]);
    }
    return labels.length == 0 ? Double.NaN : (double) max / labels.length;
  }

  /**
   * An accuracy plot: the y axis spans 0–100 % (a difference of a point stays a small one), with
   * the majority-class accuracy marked when it is known.
   */
  public static Plot accuracyPlot(String title, double majorityAccuracy) {
    Plot plot = new Plot(title, "labelled images", "test accuracy (%)").yRange(0, 100);
    if (Double.isFinite(majorityAccuracy)) {
      plot.baseline(
          new Plot.Baseline(
              String.format(
                  Locale.ROOT, "always the largest class: %.1f %%", 100 * majorityAccuracy),
              100 * majorityAccuracy));
    }
    return plot;
  }

  /** The plots by file name (without .png): one per strategy, one per mode. */
  static Map<String, byte[]> plots(Summary s, double majorityAccuracy) {
    Map<String, byte[]> plots = new LinkedHashMap<>();
    if (s.lastRound() < 0) {
      return plots;
    }
    for (Mode mode : s.modes()) {
      Plot plot =
          accuracyPlot(
              "Every strategy, " + (mode == Mode.SCRATCH ? "from scratch" : "pre-trained"),
              majorityAccuracy);
      int i = 0;
      for (String strategy : s.strategies()) {
        Optional<Plot.Series> series = series(s, strategy, mode, strategy, false);
        if (series.isPresent()) {
          plot.add(series.get(), Plot.colour(i));
        }
        i++;
      }
      plots.put(mode.label(), plot.png());
    }
    for (String strategy : s.strategies()) {
      Plot plot =
          accuracyPlot(
              strategy + ": with and without pre-training (mean ± std over seeds)",
              majorityAccuracy);
      series(s, strategy, Mode.SCRATCH, "from scratch", true)
          .ifPresent(x -> plot.add(x, SCRATCH_COLOUR));
      series(s, strategy, Mode.PRETRAINED, "pre-trained", false)
          .ifPresent(x -> plot.add(x, PRETRAINED_COLOUR));
      if (!"random".equals(strategy)) {
        series(s, "random", Mode.SCRATCH, "random, from scratch", true)
            .ifPresent(x -> plot.add(x, new Color(0x9a9a9a)));
        series(s, "random", Mode.PRETRAINED, "random, pre-trained", false)
            .ifPresent(x -> plot.add(x, new Color(0x5a5a5a)));
      }
      plots.put(fileName(strategy), plot.png());
    }
    return plots;
  }

  /** A strategy's file name: letters, digits and dashes. */
  static String fileName(String strategy) {
    return strategy.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-");
  }

  private static Optional<Plot.Series> series(
      Summary s, String strategy, Mode mode, String name, boolean dashed) {
    List<double[]> points = new ArrayList<>();
    for (int round : s.rounds()) {
      Optional<Stat> st = s.stat(strategy, mode, round);
      st.ifPresent(v -> points.add(new double[] {s.labelled(round), v.mean(), v.std()}));
    }
    if (points.isEmpty()) {
      return Optional.empty();
    }
    double[] x = new double[points.size()];
    double[] m = new double[points.size()];
    double[] d = new double[points.size()];
    for (int k = 0; k < points.size(); k++) {
      x[k] = points.get(k)[0];
      m[k] = points.get(k)[1];
      d[k] = points.get(k)[2];
    }
    return Optional.of(new Plot.Series(name, x, m, d, dashed));
  }

  private static List<String> details(Protocol p, ExperimentData data) {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "dataset %s: %d pool images, %d test images, %s classes, networks see %dpx",
            p.dataset(),
            data.poolSize(),
            data.test().size(),
            data.catalog().classes().size(),
            data.imageSide()));
    lines.add(
        String.format(
            Locale.ROOT,
            "encoder %s; round 0: %d labelled, then +%d per round for %d rounds",
            p.encoderPreset(),
            p.initialCount(data.poolSize()),
            p.budgetCount(data.poolSize()),
            p.rounds()));
    lines.add("SimCLR pre-training: " + p.pretraining().describe());
    lines.add("fine-tuning each round: " + p.finetuning().describe());
    lines.add(
        p.coldStart()
            ? "cold start: pre-trained TypiClust and ProbCover choose round 0's set themselves on"
                + " the SimCLR embeddings; every other cell starts from the seed's random set"
            : "every cell starts from the seed's random set");
    return lines;
  }

  private static void writeAtomically(Path target, byte[] bytes) throws IOException {
    AtomicFiles.write(target, bytes);
  }

  static String dataUri(byte[] png) {
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
  }
}
