package io.alfer.cli.bench;

import io.alfer.cli.bench.deepfool.DeepFoolBenchmark;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code alfer bench deepfool}: DeepFool throughput of encoder presets on this machine's CPU. The
 * benchmark is {@link DeepFoolBenchmark}; its options pass through unchanged.
 */
@Command(
    name = "deepfool",
    mixinStandardHelpOptions = true,
    description = {
      "DeepFool throughput of encoder presets on the CPU: a classifier per preset is fine-tuned"
          + " briefly on synthetic 7-class images, then DeepFool runs on unseen ones; one line per"
          + " preset and batch size (images/s, linearisation steps, share flipped, mean size).",
      "%nOptions: --presets small,tiny --size 48 --images 96 --batches 32 --train-images 280"
          + " --epochs 3 --max-iterations 50"
    })
public final class DeepFoolBench implements Runnable {
  @Unmatched List<String> options = new ArrayList<>();

  @Override
  public void run() {
    DeepFoolBenchmark.main(options.toArray(String[]::new));
  }
}
