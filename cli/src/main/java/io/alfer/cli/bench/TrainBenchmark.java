package io.alfer.cli.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;
import io.alfer.cli.StackHomeOption;
import io.alfer.cli.stack.StackJars;
import io.alfer.datasets.synthetic.Sample;
import io.alfer.datasets.synthetic.SyntheticFer;
import io.alfer.ml.data.AugmentationConfig;
import io.alfer.ml.data.Augmenter;
import io.alfer.ml.data.Batches;
import io.alfer.ml.data.PackedImages;
import io.alfer.ml.model.EncoderModel;
import io.alfer.ml.model.EncoderNetwork;
import io.alfer.ml.model.EncoderSpec;
import io.alfer.ml.model.NetworkModel;
import io.alfer.ml.model.Normalization;
import io.alfer.ml.model.ProjectionHead;
import io.alfer.ml.simclr.NtXentLoss;
import io.alfer.ml.simclr.SimClrConfig;
import io.alfer.ml.simclr.SimClrResult;
import io.alfer.ml.simclr.SimClrTrainer;
import io.alfer.ml.train.OptimizerConfig;
import io.alfer.ml.train.ParameterUpdater;
import io.alfer.ml.train.Steps;
import io.alfer.ml.train.TrainingHooks;
import io.alfer.ml.train.TrainingProgress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code alfer bench train}: SimCLR training throughput of alfer-ml (DJL, PyTorch engine) against a
 * PyTorch eager implementation of the same network, loss and update, side by side in one run, with
 * the same number of intra-op threads. The views are augmented before timing on both sides, so a
 * timed step is forward of two views per image, NT-Xent, backward and the SGD update. Then it
 * reports what pre-training buys: k-NN accuracy on the synthetic FER test split of a pre-trained
 * encoder against a randomly initialised one.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "SimCLR training throughput (alfer-ml on DJL vs PyTorch eager, same network and loss,"
          + " views augmented before timing on both sides), then k-NN accuracy of a pre-trained"
          + " vs a randomly initialised encoder on synthetic FER.",
      "%nNeeds python3 with PyTorch (Debian: apt-get install -y python3-torch).",
      "%nFinal line: train_images_per_s=... torch_images_per_s=... ratio=..."
    })
public final class TrainBenchmark implements Callable<Integer> {
  private static final int SIZE = SyntheticFer.SIZE;
  private static final double LEARNING_RATE = 0.3;
  private static final double TEMPERATURE = 0.5;
  private static final int DISTINCT_BATCHES = 4;
  private static final int KNN_NEIGHBOURS = 20;

  @Spec CommandSpec spec;

  @Mixin StackHomeOption home;

  @Option(
      names = "--preset",
      defaultValue = "small",
      description = "Encoder preset (default ${DEFAULT-VALUE}).")
  String preset;

  @Option(
      names = "--batch",
      defaultValue = "128",
      description = "Images per step, two views each (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--threads",
      defaultValue = "2",
      description = "Intra-op threads, both sides (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--warmup-steps",
      defaultValue = "3",
      description = "Untimed steps first (default ${DEFAULT-VALUE}).")
  int warmupSteps;

  @Option(
      names = "--steps",
      defaultValue = "10",
      description = "Timed steps (default ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--knn-images",
      defaultValue = "3000",
      description =
          "Synthetic FER images for the k-NN comparison; 0 skips it (default ${DEFAULT-VALUE}).")
  int knnImages;

  @Option(
      names = "--knn-epochs",
      defaultValue = "5",
      description = "Pre-training epochs for the k-NN comparison (default ${DEFAULT-VALUE}).")
  int knnEpochs;

  @Option(
      names = "--python",
      defaultValue = "/usr/bin/python3",
      description = "Python with PyTorch (default ${DEFAULT-VALUE}).")
  String python;

  @Option(names = "--seed", defaultValue = "7", description = "Seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (batch < 2 || steps < 1 || warmupSteps < 0 || threads < 1 || knnImages < 0) {
      out.println("need --batch >= 2, --steps >= 1, --warmup-steps >= 0, --threads >= 1");
      return 2;
    }
    Path script = StackJars.repositoryRoot().resolve("cli/src/main/python/simclr_train_bench.py");
    if (!torchAvailable(out)) {
      return 3;
    }
    // Must be set before the engine loads.
    System.setProperty("ai.djl.offline", "true");
    System.setProperty(
        "DJL_CACHE_DIR", home.layout().home().resolve("djl-cache").toAbsolutePath().toString());
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    EncoderSpec encoder = EncoderSpec.preset(preset);
    out.printf(
        "load average: %s; %s encoder at %d×%d, batch %d (two views each), %d threads;"
            + " views augmented before timing on both sides%n",
        loadAverage(), encoder, SIZE, SIZE, batch, threads);
    out.flush();

    Throughput java = javaThroughput(encoder, out);
    out.printf(
        "alfer-ml (DJL): %d trainable parameters, %.1f images/s%n",
        java.parameters(), java.imagesPerSecond());
    out.flush();
    Throughput torch = torchThroughput(script, encoder, out);
    if (torch == null) {
      return 1;
    }
    out.printf(
        "PyTorch eager: %d trainable parameters, %.1f images/s%n",
        torch.parameters(), torch.imagesPerSecond());
    if (torch.parameters() != java.parameters()) {
      out.printf(
          "warning: the networks differ (%d vs %d parameters)%n",
          java.parameters(), torch.parameters());
    }
    out.flush();

    if (knnImages > 0) {
      knnComparison(encoder, out);
    }
    out.printf(
        "train_images_per_s=%.2f torch_images_per_s=%.2f ratio=%.3f%n",
        java.imagesPerSecond(),
        torch.imagesPerSecond(),
        java.imagesPerSecond() / torch.imagesPerSecond());
    out.flush();
    return 0;
  }

  /** Timed SimCLR steps of alfer-ml's network on views prepared beforehand. */
  private Throughput javaThroughput(EncoderSpec encoder, PrintWriter out) {
    PackedImages images = syntheticImages(DISTINCT_BATCHES * batch, false).pool();
    Augmenter augmenter = new Augmenter(AugmentationConfig.SIMCLR, Normalization.SYMMETRIC);
    NtXentLoss loss = new NtXentLoss(TEMPERATURE);
    try (BenchNetwork model = new BenchNetwork(encoder, seed);
        ParameterUpdater updater =
            new ParameterUpdater(OptimizerConfig.sgd(LEARNING_RATE, 0.9, 5e-4), model.manager())) {
      List<NDArray> views = new ArrayList<>();
      for (int b = 0; b < DISTINCT_BATCHES; b++) {
        int[] indices = new int[batch];
        for (int i = 0; i < batch; i++) {
          indices[i] = b * batch + i;
        }
        views.add(
            Batches.augmented(model.manager(), images, indices, augmenter, seed, 0, 0)
                .concat(
                    Batches.augmented(model.manager(), images, indices, augmenter, seed, 0, 1), 0));
      }
      Steps.requireGradients(model.network().getParameters());
      long start = 0;
      double last = Double.NaN;
      for (int i = 0; i < warmupSteps + steps; i++) {
        if (i == warmupSteps) {
          start = System.nanoTime();
        }
        NDArray input = views.get(i % views.size());
        last =
            Steps.optimise(
                model.network().getParameters(),
                updater,
                LEARNING_RATE,
                () -> {
                  NDArray z =
                      model
                          .network()
                          .forward(model.parameterStore(), new NDList(input), true)
                          .singletonOrThrow();
                  return loss.compute(z.get("0:" + batch), z.get(batch + ":"));
                });
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      out.printf("alfer-ml: last loss %.4f, %d steps in %.2f s%n", last, steps, seconds);
      return new Throughput(trainableParameters(model), steps * batch / seconds);
    }
  }

  /** The same steps in PyTorch eager, in a child process with the same thread settings. */
  private Throughput torchThroughput(Path script, EncoderSpec encoder, PrintWriter out)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(script)) {
      out.println("the PyTorch reference script is missing: " + script);
      return null;
    }
    List<String> command =
        List.of(
            python,
            script.toString(),
            "--batch",
            Integer.toString(batch),
            "--size",
            Integer.toString(SIZE),
            "--threads",
            Integer.toString(threads),
            "--stem",
            Integer.toString(encoder.stemChannels()),
            "--stages",
            join(encoder.stageChannels()),
            "--blocks",
            join(encoder.blocksPerStage()),
            "--projection-hidden",
            Integer.toString(encoder.embeddingSize()),
            "--projection-output",
            "128",
            "--temperature",
            Double.toString(TEMPERATURE),
            "--learning-rate",
            Double.toString(LEARNING_RATE),
            "--warmup-steps",
            Integer.toString(warmupSteps),
            "--steps",
            Integer.toString(steps),
            "--distinct-batches",
            Integer.toString(DISTINCT_BATCHES),
            "--seed",
            Long.toString(seed));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("OMP_NUM_THREADS", Integer.toString(threads));
    env.put("MKL_NUM_THREADS", Integer.toString(threads));
    Process process = builder.start();
    long parameters = -1;
    double imagesPerSecond = Double.NaN;
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.startsWith("params=")) {
          parameters = Long.parseLong(line.substring("params=".length()).trim());
        } else if (line.startsWith("torch_images_per_s=")) {
          imagesPerSecond = Double.parseDouble(line.substring("torch_images_per_s=".length()));
        } else {
          out.println("PyTorch: " + line);
        }
      }
    }
    int exit = process.waitFor();
    if (exit != 0 || Double.isNaN(imagesPerSecond)) {
      out.println("the PyTorch reference failed (exit code " + exit + ")");
      return null;
    }
    return new Throughput(parameters, imagesPerSecond);
  }

  /** k-NN accuracy on the test split: pre-trained encoder vs randomly initialised one. */
  private void knnComparison(EncoderSpec encoder, PrintWriter out) {
    Images split = syntheticImages(knnImages, true);
    PackedImages pool = split.pool();
    PackedImages test = split.test();
    int epochs = Math.max(1, knnEpochs);
    out.printf(
        "k-NN (k=%d, cosine): pre-training on %d synthetic FER pool images for %d epochs,"
            + " evaluating on %d test images%n",
        KNN_NEIGHBOURS, pool.size(), epochs, test.size());
    out.flush();
    SimClrConfig config =
        SimClrConfig.defaults(encoder, seed)
            .withBatchSize(Math.min(batch, pool.size()))
            .withEpochs(epochs)
            .withOptimizer(
                OptimizerConfig.sgd(LEARNING_RATE, 0.9, 5e-4)
                    .withWarmupEpochs(Math.min(1, epochs - 1)));
    AtomicReference<TrainingProgress> lastProgress = new AtomicReference<>();
    TrainingHooks hooks =
        new TrainingHooks() {
          @Override
          public void onProgress(TrainingProgress progress) {
            lastProgress.set(progress);
          }
        };
    double pretrained;
    try (SimClrResult result = new SimClrTrainer(config).train(unlabelled(pool), hooks)) {
      pretrained = knn(result.encoder(), pool, test);
    }
    double random;
    try (EncoderModel initial =
        EncoderModel.create(encoder, SIZE, SIZE, Normalization.SYMMETRIC, seed)) {
      random = knn(initial, pool, test);
    }
    out.printf(
        "pre-training throughput end to end (augmentation included): %.1f images/s%n",
        lastProgress.get().imagesPerSecond());
    out.printf(
        "knn_accuracy_pretrained=%.4f knn_accuracy_random_init=%.4f gain=%+.4f%n",
        pretrained, random, pretrained - random);
    out.flush();
  }

  private static double knn(EncoderModel encoder, PackedImages pool, PackedImages test) {
    float[][] reference = normalised(encoder.embed(pool, 256));
    float[][] queries = normalised(encoder.embed(test, 256));
    int classes = 0;
    for (int label : pool.labels()) {
      classes = Math.max(classes, label + 1);
    }
    int correct = 0;
    for (int q = 0; q < queries.length; q++) {
      double[] similarity = new double[reference.length];
      Integer[] order = new Integer[reference.length];
      for (int r = 0; r < reference.length; r++) {
        double dot = 0;
        for (int d = 0; d < queries[q].length; d++) {
          dot += queries[q][d] * reference[r][d];
        }
        similarity[r] = dot;
        order[r] = r;
      }
      java.util.Arrays.sort(order, (a, b) -> Double.compare(similarity[b], similarity[a]));
      int[] votes = new int[classes];
      for (int k = 0; k < Math.min(KNN_NEIGHBOURS, order.length); k++) {
        votes[pool.labels()[order[k]]]++;
      }
      int best = 0;
      for (int c = 1; c < classes; c++) {
        if (votes[c] > votes[best]) {
          best = c;
        }
      }
      if (best == test.labels()[q]) {
        correct++;
      }
    }
    return (double) correct / queries.length;
  }

  private static float[][] normalised(float[][] rows) {
    for (float[] row : rows) {
      double norm = 0;
      for (float v : row) {
        norm += v * v;
      }
      float scale = (float) (1 / Math.max(1e-12, Math.sqrt(norm)));
      for (int i = 0; i < row.length; i++) {
        row[i] *= scale;
      }
    }
    return rows;
  }

  private static PackedImages unlabelled(PackedImages images) {
    int[] labels = new int[images.size()];
    java.util.Arrays.fill(labels, PackedImages.UNLABELLED);
    return new PackedImages(images.height(), images.width(), images.ids(), labels, images.pixels());
  }

  /** Synthetic FER images; with {@code bySplit} pool and test as FER2013 splits them. */
  private Images syntheticImages(int count, boolean bySplit) {
    List<Sample> pool = new ArrayList<>();
    List<Sample> test = new ArrayList<>();
    Iterator<Sample> samples = new SyntheticFer(seed).samples(count);
    while (samples.hasNext()) {
      Sample sample = samples.next();
      if (!bySplit || sample.split() == io.alfer.proto.v1.Split.SPLIT_POOL) {
        pool.add(sample);
      } else {
        test.add(sample);
      }
    }
    return new Images(pack(pool), test.isEmpty() ? null : pack(test));
  }

  private static PackedImages pack(List<Sample> samples) {
    byte[] pixels = new byte[samples.size() * SIZE * SIZE];
    int[] labels = new int[samples.size()];
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      System.arraycopy(s.pixels(), 0, pixels, i * SIZE * SIZE, SIZE * SIZE);
      labels[i] = s.label();
      ids.add("synthetic-" + s.index());
    }
    return new PackedImages(SIZE, SIZE, ids, labels, pixels);
  }

  private boolean torchAvailable(PrintWriter out) throws InterruptedException {
    try {
      Process check =
          new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start();
      check.getInputStream().readAllBytes();
      if (check.waitFor() == 0) {
        return true;
      }
    } catch (IOException e) {
      // no such interpreter: said below
    }
    out.println(
        "PyTorch is missing for "
            + python
            + ": install it with `apt-get update && apt-get install -y python3-torch`"
            + " (Debian/Ubuntu), or point --python at an interpreter that has torch");
    out.flush();
    return false;
  }

  private static long trainableParameters(NetworkModel<?> model) {
    long count = 0;
    for (Pair<String, Parameter> p : model.network().getParameters()) {
      if (p.getValue().requiresGradient()) {
        count += p.getValue().getArray().size();
      }
    }
    return count;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String join(int[] values) {
    StringBuilder s = new StringBuilder();
    for (int v : values) {
      s.append(s.length() == 0 ? "" : ",").append(v);
    }
    return s.toString();
  }

  /** Images of the benchmark, split into pool and test. */
  private record Images(PackedImages pool, PackedImages test) {}

  /** A measured throughput and the size of the network it was measured on. */
  private record Throughput(long parameters, double imagesPerSecond) {}

  /** Encoder and projection head as SimCLR trains them (the structure of alfer-ml's network). */
  private static final class BenchNetwork extends NetworkModel<SequentialBlock> {
    private final EncoderSpec spec;

    BenchNetwork(EncoderSpec spec, long seed) {
      super(
          new SequentialBlock()
              .add(new EncoderNetwork(spec))
              .add(new ProjectionHead(spec.embeddingSize(), 128)),
          SIZE,
          SIZE,
          Normalization.SYMMETRIC,
          seed);
      this.spec = spec;
    }

    @Override
    protected String describe() {
      return "SimCLR benchmark network " + spec;
    }
  }
}
