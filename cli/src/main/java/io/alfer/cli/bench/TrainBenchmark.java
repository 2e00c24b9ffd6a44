package io.alfer.cli.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;
import io.alfer.cli.stack.StackHomeOption;
import io.alfer.cli.stack.StackJars;
import io.alfer.datasets.synthetic.Sample;
import io.alfer.datasets.synthetic.SyntheticFer;
import io.alfer.ml.data.AugmentationConfig;
import io.alfer.ml.data.Augmenter;
import io.alfer.ml.data.Batches;
import io.alfer.ml.data.Normalization;
import io.alfer.ml.data.PackedImages;
import io.alfer.ml.engine.EngineSetup;
import io.alfer.ml.model.EncoderModel;
import io.alfer.ml.model.EncoderNetwork;
import io.alfer.ml.model.EncoderSpec;
import io.alfer.ml.model.NetworkModel;
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
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
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
 * timed step is forward of two views per image, NT-Xent, backward and the SGD update. The two sides
 * take turns: {@code --rounds} rounds of {@code --steps} timed steps each, alfer-ml first in even
 * rounds and PyTorch first in odd ones (the PyTorch process waits, idle, while alfer-ml runs, and
 * the other way round), so a change in the machine's background load hits both alike; the figures
 * are the medians over the rounds. Then it reports what pre-training buys: k-NN accuracy on the
 * synthetic FER test split of a pre-trained encoder against a randomly initialised one.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "SimCLR training throughput (alfer-ml on DJL vs PyTorch eager, same network and loss,"
          + " views augmented before timing on both sides, the two sides taking turns for"
          + " --rounds rounds, medians reported), then k-NN accuracy of a pre-trained vs a"
          + " randomly initialised encoder on synthetic FER.",
      "%nNeeds python3 with PyTorch (Debian: apt-get install -y python3-torch).",
      "%nFinal line: train_images_per_s=... torch_images_per_s=... ratio=... (medians over the"
          + " rounds; ratio = alfer-ml / PyTorch)"
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
      defaultValue = "2",
      description = "Untimed steps first, on each side (default ${DEFAULT-VALUE}).")
  int warmupSteps;

  @Option(
      names = "--rounds",
      defaultValue = "5",
      description =
          "Rounds; each side runs --steps timed steps per round (default ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--steps",
      defaultValue = "3",
      description = "Timed steps per side and round (default ${DEFAULT-VALUE}).")
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
    if (batch < 2 || steps < 1 || rounds < 1 || warmupSteps < 0 || threads < 1 || knnImages < 0) {
      out.println(
          "need --batch >= 2, --rounds >= 1, --steps >= 1, --warmup-steps >= 0, --threads >= 1,"
              + " --knn-images >= 0");
      return 2;
    }
    Path script = StackJars.repositoryRoot().resolve("cli/src/main/python/simclr_train_bench.py");
    if (!Files.isRegularFile(script)) {
      out.println("the PyTorch reference script is missing: " + script);
      return 1;
    }
    if (!torchAvailable(out)) {
      return 3;
    }
    // Must be set before the engine loads.
    System.setProperty("ai.djl.offline", "true");
    System.setProperty(
        "DJL_CACHE_DIR", home.layout().home().resolve("djl-cache").toAbsolutePath().toString());
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    String engineSetup = EngineSetup.prepare();
    EncoderSpec encoder = EncoderSpec.preset(preset);
    out.printf(
        "load average: %s; %s encoder at %d×%d, batch %d (two views each), %d threads;"
            + " views augmented before timing on both sides; %d rounds of %d timed steps per"
            + " side after %d warm-up steps%n",
        loadAverage(), encoder, SIZE, SIZE, batch, threads, rounds, steps, warmupSteps);
    out.printf("alfer-ml engine: %s%n", engineSetup);
    out.flush();

    try (DjlSide djl = new DjlSide(encoder);
        TorchSide torch = TorchSide.start(command(script, encoder), threads, out)) {
      out.printf(
          "alfer-ml (DJL %s, PyTorch %s): %d trainable parameters; PyTorch eager: %d%n",
          Engine.getDjlVersion(),
          Engine.getInstance().getVersion(),
          djl.parameters(),
          torch.parameters());
      if (torch.parameters() != djl.parameters()) {
        out.printf(
            "warning: the networks differ (%d vs %d parameters)%n",
            djl.parameters(), torch.parameters());
      }
      out.flush();
      djl.steps(warmupSteps);
      double[] ours = new double[rounds];
      double[] theirs = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        if (r % 2 == 0) {
          ours[r] = djl.timed(steps);
          theirs[r] = torch.timed(steps);
        } else {
          theirs[r] = torch.timed(steps);
          ours[r] = djl.timed(steps);
        }
        out.printf(
            "round %d (%s first): alfer-ml %.2f images/s (loss %.4f), PyTorch %.2f images/s"
                + " (loss %.4f), ratio %.3f; load %s%n",
            r + 1,
            r % 2 == 0 ? "alfer-ml" : "PyTorch",
            ours[r],
            djl.lastLoss(),
            theirs[r],
            torch.lastLoss(),
            ours[r] / theirs[r],
            loadAverage());
        out.flush();
      }
      double[] ratios = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        ratios[r] = ours[r] / theirs[r];
      }
      Throughput java = new Throughput(djl.parameters(), median(ours));
      Throughput reference = new Throughput(torch.parameters(), median(theirs));
      out.printf(
          "medians over %d rounds: alfer-ml (DJL) %.2f images/s, PyTorch eager %.2f images/s;"
              + " median of the per-round ratios %.3f (min %.3f, max %.3f)%n",
          rounds,
          java.imagesPerSecond(),
          reference.imagesPerSecond(),
          median(ratios),
          Arrays.stream(ratios).min().orElseThrow(),
          Arrays.stream(ratios).max().orElseThrow());
      out.flush();
      torch.close();
      djl.close();

      if (knnImages > 0) {
        knnComparison(encoder, out);
      }
      out.printf("load average at the end: %s%n", loadAverage());
      out.printf(
          "train_images_per_s=%.2f torch_images_per_s=%.2f ratio=%.3f%n",
          java.imagesPerSecond(),
          reference.imagesPerSecond(),
          java.imagesPerSecond() / reference.imagesPerSecond());
      out.flush();
      return 0;
    } catch (TorchFailed e) {
      out.println("the PyTorch reference failed: " + e.getMessage());
      out.flush();
      return 1;
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /**
   * alfer-ml's side: the benchmark network (encoder + projection head, as SimCLR trains it), its
   * updater and {@link #DISTINCT_BATCHES} batches of two augmented views, made before any timing. A
   * step is exactly {@code SimClrTrainer}'s: {@link Steps#optimise} over forward, NT-Xent, backward
   * and the SGD update.
   */
  private final class DjlSide implements AutoCloseable {
    private final BenchNetwork model;
    private final ParameterUpdater updater;
    private final NtXentLoss loss = new NtXentLoss(TEMPERATURE);
    private final List<NDArray> views = new ArrayList<>();
    private int step;
    private double last = Double.NaN;
    private boolean closed;

    DjlSide(EncoderSpec encoder) {
      PackedImages images = syntheticImages(DISTINCT_BATCHES * batch, false).pool();
      Augmenter augmenter = new Augmenter(AugmentationConfig.SIMCLR, Normalization.SYMMETRIC);
      model = new BenchNetwork(encoder, seed);
      updater =
          new ParameterUpdater(OptimizerConfig.sgd(LEARNING_RATE, 0.9, 5e-4), model.manager());
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
    }

    long parameters() {
      return trainableParameters(model);
    }

    double lastLoss() {
      return last;
    }

    void steps(int count) {
      for (int i = 0; i < count; i++) {
        NDArray input = views.get(step++ % views.size());
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
    }

    /** Images per second over {@code count} steps. */
    double timed(int count) {
      long start = System.nanoTime();
      steps(count);
      return (double) count * batch / ((System.nanoTime() - start) / 1e9);
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        updater.close();
        model.close();
      }
    }
  }

  /**
   * The PyTorch side: the reference script in a child process with the same thread settings, kept
   * alive between rounds; it builds its network, runs its warm-up steps, then times {@code run N}
   * requests read from its standard input, one at a time, idle in between.
   */
  private static final class TorchSide implements AutoCloseable {
    private final Process process;
    private final BufferedReader reader;
    private final PrintWriter writer;
    private final PrintWriter out;
    private final long parameters;
    private double last = Double.NaN;

    private TorchSide(Process process, PrintWriter out) throws IOException {
      this.process = process;
      this.out = out;
      this.reader =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.writer =
          new PrintWriter(
              new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
      this.parameters = Long.parseLong(await("params="));
      await("ready");
    }

    static TorchSide start(List<String> command, int threads, PrintWriter out) throws IOException {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      Map<String, String> env = builder.environment();
      env.put("OMP_NUM_THREADS", Integer.toString(threads));
      env.put("MKL_NUM_THREADS", Integer.toString(threads));
      env.put("PYTHONUNBUFFERED", "1");
      return new TorchSide(builder.start(), out);
    }

    long parameters() {
      return parameters;
    }

    double lastLoss() {
      return last;
    }

    /** Images per second over {@code count} steps, as the script measured them. */
    double timed(int count) throws IOException {
      writer.println("run " + count);
      String[] fields = await("round ").split(" ");
      double imagesPerSecond = Double.NaN;
      for (String field : fields) {
        if (field.startsWith("images_per_s=")) {
          imagesPerSecond = Double.parseDouble(field.substring("images_per_s=".length()));
        } else if (field.startsWith("loss=")) {
          last = Double.parseDouble(field.substring("loss=".length()));
        }
      }
      if (!(imagesPerSecond > 0)) {
        throw new TorchFailed("no throughput in its answer: " + String.join(" ", fields));
      }
      return imagesPerSecond;
    }

    /** Reads lines until one starts with {@code prefix}; passes the others on; returns the rest. */
    private String await(String prefix) throws IOException {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.startsWith(prefix)) {
          return line.substring(prefix.length()).trim();
        }
        out.println("PyTorch: " + line);
        out.flush();
      }
      int exit;
      try {
        exit = process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exit = -1;
      }
      throw new TorchFailed("it ended (exit code " + exit + ") before saying '" + prefix + "'");
    }

    @Override
    public void close() {
      if (process.isAlive()) {
        writer.println("quit");
        try {
          if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          process.destroyForcibly();
        }
      }
    }
  }

  /** The reference process failed or said something unexpected. */
  private static final class TorchFailed extends IOException {
    TorchFailed(String message) {
      super(message);
    }
  }

  /** The reference script's command line: the same network, loss, update and sizes. */
  private List<String> command(Path script, EncoderSpec encoder) {
    return List.of(
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
        PythonTorch.commaList(encoder.stageChannels()),
        "--blocks",
        PythonTorch.commaList(encoder.blocksPerStage()),
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
        "--distinct-batches",
        Integer.toString(DISTINCT_BATCHES),
        "--seed",
        Long.toString(seed),
        "--serve");
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
    if (PythonTorch.available(python, "torch")) {
      return true;
    }
    out.println(PythonTorch.missing(python, "python3-torch"));
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
