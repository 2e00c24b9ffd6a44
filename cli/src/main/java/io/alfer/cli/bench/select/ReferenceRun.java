package io.alfer.cli.bench.select;

import io.alfer.al.Pool;
import io.alfer.cli.stack.StackJars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code cli/src/main/python/select_reference.py} (NumPy + scikit-learn) on a pool written as
 * {@code .npy} files and reads back its timings and k-center picks. BADGE's reference materialises
 * the gradient embeddings in float64 (unlabelled × classes × d × 8 bytes, twice over while they are
 * built); above {@value #BADGE_MAX_GIB} GiB for them it is skipped ({@code badgeSeconds} NaN): at n
 * = 1,000,000 they would take 7 GiB (d = 128) and 29 GiB (d = 512).
 */
final class ReferenceRun {
  /** Largest float64 gradient matrix the BADGE reference is run with, in GiB. */
  static final int BADGE_MAX_GIB = 4;

  /** The reference, from the repository root. */
  private static final String SCRIPT = "cli/src/main/python/select_reference.py";

  static final String INSTALL_HINT =
      "NumPy/scikit-learn references skipped: no python3 with numpy and sklearn found. Install them"
          + " with: apt-get install -y python3-numpy python3-sklearn";

  /** What the reference measured ({@code badgeSeconds} NaN when it was skipped). */
  record Result(double coresetSeconds, double badgeSeconds, List<Integer> coresetPicks) {}

  /** Whether the BADGE reference fits: see the class comment. */
  static boolean badgeFits(Pool pool) {
    long unlabelled = pool.size() - pool.labelledCount();
    double bytes =
        (double) unlabelled * pool.probabilities().cols() * pool.embeddings().cols() * Double.BYTES;
    return bytes <= BADGE_MAX_GIB * (double) (1L << 30);
  }

  private ReferenceRun() {}

  /** The first of {@code candidates} that imports numpy and sklearn. */
  static Optional<String> findPython(List<String> candidates) {
    for (String python : candidates) {
      try {
        Process p =
            new ProcessBuilder(python, "-c", "import numpy, sklearn")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return Optional.of(python);
        }
      } catch (IOException e) {
        // not installed under that name: try the next
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  static Result run(String python, Pool pool, int budget, long seed)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("alfer-bench-select");
    try {
      Npy.write(dir.resolve("x.npy"), pool.embeddings());
      Npy.write(dir.resolve("p.npy"), pool.probabilities());
      boolean[] labelled = new boolean[pool.size()];
      for (int i = 0; i < labelled.length; i++) {
        labelled[i] = pool.isLabelled(i);
      }
      Npy.write(dir.resolve("labelled.npy"), labelled);
      Path script = StackJars.repositoryRoot().resolve(SCRIPT);
      if (!Files.isRegularFile(script)) {
        throw new IOException("the NumPy / scikit-learn reference script is missing: " + script);
      }
      Path picks = dir.resolve("coreset_picks.txt");
      List<String> command =
          new ArrayList<>(
              List.of(
                  python,
                  script.toString(),
                  "--dir",
                  dir.toString(),
                  "--budget",
                  Integer.toString(budget),
                  "--seed",
                  Long.toString(seed & 0x7FFFFFFFL),
                  "--coreset-picks",
                  picks.toString()));
      if (!badgeFits(pool)) {
        command.add("--skip-badge");
      }
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IOException("select_reference.py failed:\n" + output);
      }
      List<Integer> corePicks = new ArrayList<>();
      for (String line : Files.readAllLines(picks)) {
        if (!line.isBlank()) {
          corePicks.add(Integer.parseInt(line.trim()));
        }
      }
      return new Result(value(output, "coreset_ref_s"), value(output, "badge_ref_s"), corePicks);
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  private static double value(String output, String key) throws IOException {
    for (String line : output.split("\n")) {
      if (line.startsWith(key + "=")) {
        String value = line.substring(key.length() + 1).trim();
        return value.equals("NA") ? Double.NaN : Double.parseDouble(value);
      }
    }
    throw new IOException("select_reference.py printed no " + key + ":\n" + output);
  }
}
