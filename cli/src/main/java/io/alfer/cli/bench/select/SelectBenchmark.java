package io.alfer.cli.bench.select;

import io.alfer.al.Pick;
import io.alfer.al.Pool;
import io.alfer.al.Selection;
import io.alfer.al.strategy.Strategies;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code ./alfer bench select}: wall time and peak heap of every strategy on a synthetic pool
 * (default n = 100,000, d = 128 and 512, c = 7, budget 1,000, 1,000 labelled), and NumPy /
 * scikit-learn references of CoreSet's k-center greedy and BADGE's k-means++ seeding on the same
 * data. Prints a table, then the last line {@code coreset_s=… coreset_ref_s=… badge_s=…
 * badge_ref_s=… ratio_min=… max_s=… max_heap_mb=…} (times summed over the dimensions; ratio_min =
 * the smallest reference/ours time ratio over both strategies and every dimension where the
 * reference ran; max_s and max_heap_mb = the slowest strategy's seconds and the largest peak heap
 * over every strategy and dimension). The BADGE reference is skipped, and prints NA, where its
 * float64 gradient embeddings would not fit in memory (n = 1,000,000).
 *
 * <p>Options: {@code --n}, {@code --dims} (comma separated), {@code --classes}, {@code --budget},
 * {@code --labelled}, {@code --seed}, {@code --strategies} (comma separated, default all), {@code
 * --python} (interpreter with numpy and sklearn; default /usr/bin/python3, then python3), {@code
 * --no-reference}, {@code --quality} (instead: ProbCover's approximate graph search against the
 * exact one, {@link ProbCoverQuality}; use a size where the exact O(n²·d) search runs, e.g. {@code
 * --n 20000}).
 */
public final class SelectBenchmark {
  private SelectBenchmark() {}

  /** Runs the benchmark; see the class comment for the options. */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = parse(args);
    int n = Integer.parseInt(options.getOrDefault("n", "100000"));
    int classes = Integer.parseInt(options.getOrDefault("classes", "7"));
    int budget = Integer.parseInt(options.getOrDefault("budget", "1000"));
    int labelled = Integer.parseInt(options.getOrDefault("labelled", "1000"));
    long seed = Long.parseLong(options.getOrDefault("seed", "42"));
    List<Integer> dims =
        List.of(options.getOrDefault("dims", "128,512").split(",")).stream()
            .map(s -> Integer.parseInt(s.trim()))
            .toList();
    List<String> strategies =
        options.containsKey("strategies")
            ? List.of(options.get("strategies").split(","))
            : Strategies.names();
    Optional<String> python =
        options.containsKey("no-reference")
            ? Optional.empty()
            : ReferenceRun.findPython(
                options.containsKey("python")
                    ? List.of(options.get("python"))
                    : List.of("/usr/bin/python3", "python3"));

    if (options.containsKey("quality")) {
      System.out.printf(
          Locale.ROOT,
          "alfer bench select --quality: n=%d dims=%s classes=%d budget=%d labelled=%d seed=%d%n",
          n,
          dims,
          classes,
          budget,
          labelled,
          seed);
      ProbCoverQuality.run(n, dims, classes, budget, labelled, seed);
      return;
    }
    System.out.printf(
        Locale.ROOT,
        "alfer bench select: n=%d dims=%s classes=%d budget=%d labelled=%d seed=%d cpus=%d"
            + " max_heap_mb=%d%n",
        n,
        dims,
        classes,
        budget,
        labelled,
        seed,
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20);
    warmUp(strategies, classes, seed);

    double[] ours = new double[2]; // coreset, badge
    double[] refs = new double[2];
    double maxSeconds = 0;
    long maxHeap = 0;
    double ratioMin = Double.POSITIVE_INFINITY;
    boolean referenced = python.isPresent() && strategies.containsAll(List.of("coreset", "badge"));
    List<String> table = new ArrayList<>();
    table.add("| d | strategy | seconds | peak heap MB | reference seconds | speed-up |");
    table.add("|---|---|---|---|---|---|");
    for (int dim : dims) {
      Pool pool = SyntheticPool.generate(n, dim, classes, labelled, seed);
      System.out.printf(
          Locale.ROOT,
          "d=%d pool ready: %.0f MB of embeddings%n",
          dim,
          (double) n * dim * 4 / (1 << 20));
      Map<String, Selection> runs = new LinkedHashMap<>();
      Map<String, Long> peaks = new LinkedHashMap<>();
      for (String name : strategies) {
        Selection selection;
        long peak;
        try (HeapPeak heap = new HeapPeak()) {
          selection = Strategies.create(name).select(pool, budget, seed);
          peak = heap.stop();
        }
        runs.put(name, selection);
        peaks.put(name, peak);
        maxSeconds = Math.max(maxSeconds, seconds(selection));
        maxHeap = Math.max(maxHeap, peak);
        System.out.printf(
            Locale.ROOT,
            "d=%d %-16s %8.3f s  peak heap %7.1f MB%n",
            dim,
            name,
            seconds(selection),
            peak / 1048576.0);
      }
      ours[0] += runs.containsKey("coreset") ? seconds(runs.get("coreset")) : 0;
      ours[1] += runs.containsKey("badge") ? seconds(runs.get("badge")) : 0;
      ReferenceRun.Result ref = null;
      if (referenced) {
        if (!ReferenceRun.badgeFits(pool)) {
          System.out.printf(
              Locale.ROOT,
              "d=%d BADGE reference skipped: its float64 gradient embeddings would need more than"
                  + " %d GiB%n",
              dim,
              ReferenceRun.BADGE_MAX_GIB);
        }
        ref = ReferenceRun.run(python.get(), pool, budget, seed);
        double coreset = seconds(runs.get("coreset"));
        double badge = seconds(runs.get("badge"));
        refs[0] += ref.coresetSeconds();
        refs[1] += ref.badgeSeconds(); // NaN once skipped: the sum prints as NA
        ratioMin = Math.min(ratioMin, ref.coresetSeconds() / coreset);
        if (!Double.isNaN(ref.badgeSeconds())) {
          ratioMin = Math.min(ratioMin, ref.badgeSeconds() / badge);
        }
        System.out.printf(
            Locale.ROOT,
            "d=%d reference: coreset %.3f s, badge %s s; k-center picks shared with ours: %d/%d%n",
            dim,
            ref.coresetSeconds(),
            number(ref.badgeSeconds(), "%.3f"),
            overlap(runs.get("coreset").picks(), ref.coresetPicks()),
            ref.coresetPicks().size());
      }
      for (String name : strategies) {
        String refCell = "";
        String speedUp = "";
        if (ref != null && (name.equals("coreset") || name.equals("badge"))) {
          double r = name.equals("coreset") ? ref.coresetSeconds() : ref.badgeSeconds();
          refCell = number(r, "%.2f");
          speedUp = Double.isNaN(r) ? "" : number(r / seconds(runs.get(name)), "%.1f×");
        }
        table.add(
            String.format(
                Locale.ROOT,
                "| %d | %s | %.2f | %.0f | %s | %s |",
                dim,
                name,
                seconds(runs.get(name)),
                peaks.get(name) / 1048576.0,
                refCell,
                speedUp));
      }
    }
    System.out.println();
    table.forEach(System.out::println);
    System.out.println();
    if (!referenced && python.isEmpty() && !options.containsKey("no-reference")) {
      System.out.println(ReferenceRun.INSTALL_HINT);
    }
    System.out.printf(
        Locale.ROOT,
        "coreset_s=%s coreset_ref_s=%s badge_s=%s badge_ref_s=%s ratio_min=%s max_s=%.3f"
            + " max_heap_mb=%.0f%n",
        ours[0] > 0 ? number(ours[0], "%.3f") : "NA",
        referenced ? number(refs[0], "%.3f") : "NA",
        ours[1] > 0 ? number(ours[1], "%.3f") : "NA",
        referenced ? number(refs[1], "%.3f") : "NA",
        referenced ? number(ratioMin, "%.2f") : "NA",
        maxSeconds,
        maxHeap / 1048576.0);
  }

  /** {@code value} in {@code format}, or NA when it is NaN. */
  private static String number(double value, String format) {
    return Double.isNaN(value) ? "NA" : String.format(Locale.ROOT, format, value);
  }

  /** Runs every strategy once on a small pool so the timed runs measure compiled code. */
  private static void warmUp(List<String> strategies, int classes, long seed) {
    Pool small = SyntheticPool.generate(4000, 64, classes, 100, seed + 1);
    for (String name : strategies) {
      Strategies.create(name).select(small, 100, seed);
    }
  }

  private static double seconds(Selection selection) {
    return selection.elapsed().toNanos() / 1e9;
  }

  private static int overlap(List<Pick> ours, List<Integer> reference) {
    Set<Integer> rows = new HashSet<>();
    ours.forEach(p -> rows.add(p.row()));
    int shared = 0;
    for (int row : reference) {
      shared += rows.contains(row) ? 1 : 0;
    }
    return shared;
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
      }
      String key = arg.substring(2);
      int eq = key.indexOf('=');
      if (eq >= 0) {
        options.put(key.substring(0, eq), key.substring(eq + 1));
      } else if (key.equals("no-reference") || key.equals("quality")) {
        options.put(key, "true");
      } else if (i + 1 < args.length) {
        options.put(key, args[++i]);
      } else {
        throw new IllegalArgumentException("option --" + key + " needs a value");
      }
    }
    Set<String> known =
        Set.of(
            "n",
            "dims",
            "classes",
            "budget",
            "labelled",
            "seed",
            "strategies",
            "python",
            "no-reference",
            "quality");
    for (String key : options.keySet()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException(
            "unknown option --" + key + "; valid: --" + String.join(", --", known));
      }
    }
    return options;
  }
}
