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
 * badge_ref_s=… ratio_min=…} (times summed over the dimensions; ratio_min = the smallest
 * reference/ours time ratio over both strategies and every dimension).
 *
 * <p>Options: {@code --n}, {@code --dims} (comma separated), {@code --classes}, {@code --budget},
 * {@code --labelled}, {@code --seed}, {@code --strategies} (comma separated, default all), {@code
 * --python} (interpreter with numpy and sklearn; default /usr/bin/python3, then python3), {@code
 * --no-reference}.
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
        ref = ReferenceRun.run(python.get(), pool, budget, seed);
        double coreset = seconds(runs.get("coreset"));
        double badge = seconds(runs.get("badge"));
        refs[0] += ref.coresetSeconds();
        refs[1] += ref.badgeSeconds();
        ratioMin =
            Math.min(
                ratioMin, Math.min(ref.coresetSeconds() / coreset, ref.badgeSeconds() / badge));
        System.out.printf(
            Locale.ROOT,
            "d=%d reference: coreset %.3f s, badge %.3f s; k-center picks shared with ours: %d/%d%n",
            dim,
            ref.coresetSeconds(),
            ref.badgeSeconds(),
            overlap(runs.get("coreset").picks(), ref.coresetPicks()),
            ref.coresetPicks().size());
      }
      for (String name : strategies) {
        String refCell = "";
        String speedUp = "";
        if (ref != null && (name.equals("coreset") || name.equals("badge"))) {
          double r = name.equals("coreset") ? ref.coresetSeconds() : ref.badgeSeconds();
          refCell = String.format(Locale.ROOT, "%.2f", r);
          speedUp = String.format(Locale.ROOT, "%.1f×", r / seconds(runs.get(name)));
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
    if (referenced) {
      System.out.printf(
          Locale.ROOT,
          "coreset_s=%.3f coreset_ref_s=%.3f badge_s=%.3f badge_ref_s=%.3f ratio_min=%.2f%n",
          ours[0],
          refs[0],
          ours[1],
          refs[1],
          ratioMin);
    } else {
      if (python.isEmpty() && !options.containsKey("no-reference")) {
        System.out.println(ReferenceRun.INSTALL_HINT);
      }
      System.out.printf(
          Locale.ROOT,
          "coreset_s=%s coreset_ref_s=NA badge_s=%s badge_ref_s=NA ratio_min=NA%n",
          ours[0] > 0 ? String.format(Locale.ROOT, "%.3f", ours[0]) : "NA",
          ours[1] > 0 ? String.format(Locale.ROOT, "%.3f", ours[1]) : "NA");
    }
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
      } else if (key.equals("no-reference")) {
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
            "no-reference");
    for (String key : options.keySet()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException(
            "unknown option --" + key + "; valid: --" + String.join(", --", known));
      }
    }
    return options;
  }
}
