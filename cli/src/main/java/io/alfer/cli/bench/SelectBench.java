package io.alfer.cli.bench;

import io.alfer.cli.bench.select.SelectBenchmark;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code alfer bench select}: every selection strategy of libs/al at scale, side by side with NumPy
 * / scikit-learn references of CoreSet and BADGE. The benchmark itself is {@link SelectBenchmark}
 * (libs/al); this command only maps the options.
 */
@Command(
    name = "select",
    mixinStandardHelpOptions = true,
    description = {
      "Wall time and peak heap of every selection strategy on a synthetic pool, and NumPy /"
          + " scikit-learn references of CoreSet's k-center greedy and BADGE's k-means++ seeding"
          + " on the same data (needs python3-numpy and python3-sklearn).",
      "%nFinal line: coreset_s=... coreset_ref_s=... badge_s=... badge_ref_s=... ratio_min=..."
          + " max_s=... max_heap_mb=...",
      "With --quality instead: ProbCover's inverted-file graph search against the exact one"
          + " (covered fraction of the pool); run it at a size where the exact search runs,"
          + " e.g. --n 20000."
    })
public final class SelectBench implements Runnable {
  @Option(names = "--n", defaultValue = "100000", description = "Pool size (${DEFAULT-VALUE}).")
  int n;

  @Option(
      names = "--dims",
      defaultValue = "128,512",
      description = "Embedding widths, comma separated (${DEFAULT-VALUE}).")
  String dims;

  @Option(names = "--classes", defaultValue = "7", description = "Classes (${DEFAULT-VALUE}).")
  int classes;

  @Option(names = "--budget", defaultValue = "1000", description = "Picks (${DEFAULT-VALUE}).")
  int budget;

  @Option(
      names = "--labelled",
      defaultValue = "1000",
      description = "Items already labelled (${DEFAULT-VALUE}).")
  int labelled;

  @Option(names = "--seed", defaultValue = "42", description = "Seed (${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--strategies",
      description = "Strategies, comma separated (default: all of them).")
  String strategies;

  @Option(
      names = "--python",
      description = "Interpreter with numpy and sklearn (default /usr/bin/python3, then python3).")
  String python;

  @Option(names = "--no-reference", description = "Skip the NumPy / scikit-learn references.")
  boolean noReference;

  @Option(
      names = "--quality",
      description = "Compare ProbCover's approximate graph search with the exact one instead.")
  boolean quality;

  @Override
  public void run() {
    List<String> args = new ArrayList<>();
    add(args, "n", Integer.toString(n));
    add(args, "dims", dims);
    add(args, "classes", Integer.toString(classes));
    add(args, "budget", Integer.toString(budget));
    add(args, "labelled", Integer.toString(labelled));
    add(args, "seed", Long.toString(seed));
    if (strategies != null) {
      add(args, "strategies", strategies);
    }
    if (python != null) {
      add(args, "python", python);
    }
    if (noReference) {
      args.add("--no-reference");
    }
    if (quality) {
      args.add("--quality");
    }
    try {
      SelectBenchmark.main(args.toArray(String[]::new));
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("bench select failed: " + e.getMessage(), e);
    }
  }

  private static void add(List<String> args, String name, String value) {
    args.add("--" + name);
    args.add(value);
  }
}
