package io.alfer.cli.bench.deepfool;

import io.alfer.ml.data.Normalization;
import io.alfer.ml.data.PackedImages;
import io.alfer.ml.deepfool.DeepFool;
import io.alfer.ml.deepfool.DeepFoolConfig;
import io.alfer.ml.deepfool.DeepFoolHooks;
import io.alfer.ml.deepfool.DeepFoolResult;
import io.alfer.ml.finetune.FineTuneConfig;
import io.alfer.ml.finetune.FineTuner;
import io.alfer.ml.model.ClassifierModel;
import io.alfer.ml.model.EncoderSpec;
import io.alfer.ml.train.OptimizerConfig;
import io.alfer.ml.train.TrainingHooks;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * DeepFool throughput of encoder presets on the CPU: a classifier per preset is fine-tuned briefly
 * on synthetic images (each of 7 classes brightens its own band of rows), then DeepFool runs on
 * unseen images of the same kind. Prints one line per preset and batch size: images/s, mean
 * linearisation steps, share flipped, mean size.
 *
 * <pre>
 * ./alfer bench deepfool --presets small,tiny --size 48 --images 96
 * </pre>
 *
 * Options: {@code --presets}, {@code --size} (48), {@code --images} (96), {@code --batches} (32),
 * {@code --train-images} (280), {@code --epochs} (3), {@code --max-iterations} (50).
 */
public final class DeepFoolBenchmark {
  private static final int CLASSES = 7;

  private DeepFoolBenchmark() {}

  public static void main(String[] args) {
    List<String> presets = List.of("small", "tiny");
    int size = 48;
    int images = 96;
    List<Integer> batches = List.of(32);
    int trainImages = 280;
    int epochs = 3;
    int maxIterations = DeepFoolConfig.DEFAULT_MAX_ITERATIONS;
    for (int i = 0; i < args.length; i += 2) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--presets" -> presets = List.of(value.split(","));
        case "--size" -> size = Integer.parseInt(value);
        case "--images" -> images = Integer.parseInt(value);
        case "--batches" -> {
          List<Integer> parsed = new ArrayList<>();
          for (String b : value.split(",")) {
            parsed.add(Integer.parseInt(b));
          }
          batches = parsed;
        }
        case "--train-images" -> trainImages = Integer.parseInt(value);
        case "--epochs" -> epochs = Integer.parseInt(value);
        case "--max-iterations" -> maxIterations = Integer.parseInt(value);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    PackedImages train = banded(trainImages, size, 1);
    PackedImages pool = banded(images, size, 2);
    System.out.printf(
        Locale.ROOT,
        "deepfool benchmark: %d×%d, %d images, %d classes, threads=%s%n",
        size,
        size,
        images,
        CLASSES,
        System.getProperty("ai.djl.pytorch.num_threads", "default"));
    for (String preset : presets) {
      FineTuneConfig config =
          FineTuneConfig.cpuFast(7)
              .withOptimizer(OptimizerConfig.adamW(3e-3, 1e-4, 0))
              .withBatchSize(32)
              .withLength(0, epochs);
      FineTuner tuner = new FineTuner(config);
      try (ClassifierModel model =
          tuner.initialiseFromScratch(
              EncoderSpec.preset(preset), size, size, Normalization.SYMMETRIC, CLASSES)) {
        long t0 = System.nanoTime();
        var fit = tuner.fit(model, train, TrainingHooks.NONE);
        System.out.printf(
            Locale.ROOT,
            "%s: fine-tuned %d epochs in %.1f s, train accuracy %.3f%n",
            preset,
            fit.epochsRun(),
            (System.nanoTime() - t0) / 1e9,
            fit.trainAccuracy());
        // warm-up
        DeepFool.run(
            model,
            pool.select(new int[] {0, 1, 2, 3}),
            DeepFoolConfig.defaults(),
            DeepFoolHooks.NONE,
            false);
        for (int batch : batches) {
          DeepFoolConfig df =
              new DeepFoolConfig(maxIterations, DeepFoolConfig.DEFAULT_OVERSHOOT, batch);
          long start = System.nanoTime();
          DeepFoolResult result = DeepFool.run(model, pool, df, DeepFoolHooks.NONE, false);
          double seconds = (System.nanoTime() - start) / 1e9;
          double meanSize = 0;
          for (float s : result.sizes()) {
            meanSize += s / result.count();
          }
          System.out.printf(
              Locale.ROOT,
              "%s batch=%d: %.1f images/s (%.2f s), mean steps %.2f, flipped %.3f, mean size %.4f%n",
              preset,
              batch,
              result.count() / seconds,
              seconds,
              result.meanIterations(),
              (double) result.flippedCount() / result.count(),
              meanSize);
        }
      }
    }
  }

  /** Images whose class brightens its own band of rows, with noise. */
  static PackedImages banded(int count, int size, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] pixels = new byte[count * size * size];
    int[] labels = new int[count];
    List<String> ids = new ArrayList<>();
    int band = Math.max(1, size / CLASSES);
    for (int i = 0; i < count; i++) {
      int label = i % CLASSES;
      labels[i] = label;
      ids.add(String.format(Locale.ROOT, "img-%05d", i));
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          int base = Math.min(y / band, CLASSES - 1) == label ? 170 : 70;
          pixels[(i * size + y) * size + x] =
              (byte) Math.min(255, Math.max(0, base + random.nextInt(-60, 61)));
        }
      }
    }
    return new PackedImages(size, size, ids, labels, pixels);
  }
}
