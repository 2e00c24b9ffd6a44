package io.alfer.cli;

import io.alfer.cli.bench.DeepFoolBench;
import io.alfer.cli.bench.EmbedBenchmark;
import io.alfer.cli.bench.FaultBenchmark;
import io.alfer.cli.bench.IngestBenchmark;
import io.alfer.cli.bench.LabelBenchmark;
import io.alfer.cli.bench.LearnBenchmark;
import io.alfer.cli.bench.RoundLatencyBenchmark;
import io.alfer.cli.bench.SelectBench;
import io.alfer.cli.bench.TrainBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code alfer bench <name>}: benchmarks. Each compares side by side in one run against a reference
 * and ends with a {@code key=value ...} line.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks; each ends with a key=value line.",
    subcommands = {
      IngestBenchmark.class,
      EmbedBenchmark.class,
      TrainBenchmark.class,
      SelectBench.class,
      RoundLatencyBenchmark.class,
      LabelBenchmark.class,
      LearnBenchmark.class,
      DeepFoolBench.class,
      FaultBenchmark.class
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:the benchmark ran and printed its final key=value line",
      "1:it failed (the reason is printed)",
      "2:invalid options"
    })
final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
