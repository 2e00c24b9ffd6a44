package io.alfer.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alfer.cli.experiment.ExperimentCommand;
import io.alfer.cli.stack.StackJars;
import io.alfer.core.storage.ObjectStore;
import io.alfer.experiment.config.Cell;
import io.alfer.experiment.config.ExperimentPlan;
import io.alfer.experiment.config.Mode;
import io.alfer.experiment.data.ExperimentData;
import io.alfer.experiment.pretrain.PretrainCache;
import io.alfer.experiment.progress.ExperimentListener;
import io.alfer.experiment.results.ResultRow;
import io.alfer.experiment.results.ResultsLog;
import io.alfer.ml.data.AugmentationConfig;
import io.alfer.ml.data.Normalization;
import io.alfer.ml.finetune.FineTuneConfig;
import io.alfer.ml.model.EncoderModel;
import io.alfer.ml.model.EncoderSpec;
import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code alfer bench learn}: the yardstick of alfer's learning. Runs {@code alfer experiment} with
 * random selection (every option after the benchmark's own goes to the experiment: profile, modes,
 * seeds, sizes, recipe overrides), then a plain PyTorch script ({@code learn_reference.py}) that
 * fine-tunes the same network with the same recipe on the very labelled sets of every round — from
 * scratch, and from alfer's own SimCLR encoder in the pre-trained mode — and prints both tables
 * side by side. The final line gives the largest per-round shortfall of alfer against the
 * reference.
 */
@Command(
    name = "learn",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs `alfer experiment` with random selection, then a plain PyTorch script that fine-tunes"
          + " the same network with the same recipe on the same labelled sets, round by round"
          + " (from scratch, and from alfer's SimCLR encoder for pre-trained cells), and prints"
          + " both accuracy tables side by side.",
      "%nEvery option other than the ones below goes to `alfer experiment` (e.g. --profile cpu"
          + " --seeds 1,2 --modes scratch --generate); --strategies is fixed to random.",
      "%nNeeds python3 with PyTorch and NumPy (Debian: apt-get update && apt-get install -y"
          + " python3-torch python3-numpy).",
      "%nEnds with: max_shortfall_points=… (largest mean-over-seeds PyTorch − alfer accuracy of"
          + " any round and mode, in points; ≤ 0 when alfer is never behind) and the per-mode"
          + " curves."
    })
public final class LearnBenchmark implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCRIPT = "cli/src/main/python/learn_reference.py";

  @Spec CommandSpec spec;

  @Option(
      names = "--python",
      defaultValue = "/usr/bin/python3",
      description = "Python with PyTorch (default ${DEFAULT-VALUE}).")
  String python;

  @Option(
      names = "--reference-threads",
      defaultValue = "0",
      description = "Intra-op threads of the reference (default: all cores, as alfer's).")
  int referenceThreads;

  @Unmatched List<String> experimentArguments = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    for (String refused : List.of("--strategies", "--through-services", "--dry-run")) {
      if (experimentArguments.stream()
          .anyMatch(a -> a.equals(refused) || a.startsWith(refused + "="))) {
        throw new IllegalArgumentException(
            refused + " cannot be given to bench learn: it runs random selection in process");
      }
    }
    if (!PythonTorch.available(python, "torch", "numpy")) {
      out.println(PythonTorch.missing(python, "python3-torch python3-numpy"));
      out.flush();
      return 3;
    }
    List<String> arguments = new ArrayList<>(experimentArguments);
    arguments.addAll(List.of("--strategies", "random"));
    ExperimentCommand experiment = parse(arguments, out);
    if (!arguments.contains("--results")) {
      String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      Path fresh = experiment.homeDirectory().resolve("bench").resolve("learn-" + stamp);
      arguments.addAll(List.of("--results", fresh.toString()));
      experiment = parse(arguments, out);
    }
    Path export = experiment.resultsDirectory().resolve("reference");
    List<ResultRow> alfer = new ArrayList<>();
    long alferStart = System.nanoTime();
    int status =
        experiment.execute(
            (plan, data, directory, objects) -> {
              alfer.addAll(rows(data, directory));
              export(plan, data, directory, objects, export, out);
            });
    double alferSeconds = (System.nanoTime() - alferStart) / 1e9;
    if (status != 0 || alfer.isEmpty()) {
      out.println("the experiment did not finish; nothing to compare");
      return status == 0 ? 1 : status;
    }
    out.printf("%n== the PyTorch reference: same network, recipe and labelled sets%n");
    out.flush();
    long referenceStart = System.nanoTime();
    List<Outcome> reference = runReference(export, out);
    double referenceSeconds = (System.nanoTime() - referenceStart) / 1e9;
    Comparison comparison = Comparison.of(alfer, reference);
    comparison.print(out);
    out.printf(
        Locale.ROOT,
        "%nalfer: %.0f s in all (pre-training, selection and evaluation included), of which"
            + " %.0f s fine-tuning; PyTorch: %.0f s fine-tuning and evaluation%n",
        alferSeconds,
        alfer.stream().mapToDouble(ResultRow::trainSeconds).sum(),
        referenceSeconds);
    out.println(comparison.keyValues(alferSeconds, referenceSeconds));
    out.flush();
    return 0;
  }

  private ExperimentCommand parse(List<String> arguments, PrintWriter out) {
    ExperimentCommand experiment = new ExperimentCommand();
    CommandLine line = new CommandLine(experiment);
    line.setOut(out);
    line.setErr(spec.commandLine().getErr());
    line.parseArgs(arguments.toArray(String[]::new));
    return experiment;
  }

  private static List<ResultRow> rows(ExperimentData data, Path directory) {
    try (ResultsLog log = ResultsLog.open(directory, data.catalog().classes(), note -> {})) {
      return log.rows().stream().filter(r -> r.strategy().equals("random")).toList();
    }
  }

  /**
   * Writes what the reference needs: the pool and test tensors, the recipe, and per cell its
   * normalisation, its labelled pool rows round by round and, when pre-trained, its encoder.
   */
  static void export(
      ExperimentPlan plan,
      ExperimentData data,
      Path directory,
      ObjectStore objects,
      Path export,
      PrintWriter out) {
    try {
      Files.createDirectories(export);
      Files.write(export.resolve("pool.u8"), data.pool().pixels());
      Files.write(export.resolve("pool_labels.i32"), ints(data.poolLabels()));
      Files.write(export.resolve("test.u8"), data.test().pixels());
      Files.write(export.resolve("test_labels.i32"), ints(data.test().labels()));
      ObjectNode spec = JSON.createObjectNode();
      spec.put("image_side", data.imageSide());
      spec.put("classes", data.catalog().classes().size());
      spec.put("pool", "pool.u8");
      spec.put("pool_labels", "pool_labels.i32");
      spec.put("test", "test.u8");
      spec.put("test_labels", "test_labels.i32");
      EncoderSpec encoder = plan.protocol().encoder();
      ObjectNode enc = spec.putObject("encoder");
      enc.put("stem", encoder.stemChannels());
      ArrayNode stages = enc.putArray("stages");
      ArrayNode blocks = enc.putArray("blocks");
      for (int s = 0; s < encoder.stages(); s++) {
        stages.add(encoder.stageChannels(s));
        blocks.add(encoder.blocksInStage(s));
      }
      spec.set("recipe", recipe(plan.protocol().finetuning().config(0)));
      Map<String, Integer> rowOf = new HashMap<>();
      List<String> ids = data.pool().ids();
      for (int i = 0; i < ids.size(); i++) {
        rowOf.put(ids.get(i), i);
      }
      ArrayNode cells = spec.putArray("cells");
      PretrainCache pretraining = new PretrainCache(objects);
      for (Cell cell : plan.cells()) {
        ObjectNode c = cells.addObject();
        c.put("mode", cell.mode().label());
        c.put("seed", cell.seed());
        Normalization normalization = data.poolNormalization();
        if (cell.mode() == Mode.PRETRAINED) {
          try (EncoderModel model =
              pretraining.encoder(
                  plan.protocol(), data, cell.seed(), new ExperimentListener() {})) {
            normalization = model.normalization();
            String file = "encoder-s" + cell.seed() + ".f32";
            c.put("encoder_weights", file);
            c.set("encoder_tensors", writeEncoder(model, export.resolve(file)));
          }
        } else {
          c.putNull("encoder_weights");
        }
        ObjectNode norm = c.putObject("normalization");
        norm.put("mean", normalization.mean());
        norm.put("std", normalization.std());
        ArrayNode rounds = c.putArray("rounds");
        JsonNode state =
            JSON.readTree(directory.resolve("cells").resolve(cell.fileKey() + ".json").toFile());
        rounds.add(rowsOf(state.get("initial"), rowOf));
        for (JsonNode picks : state.get("picks")) {
          rounds.add(rowsOf(picks, rowOf));
        }
      }
      JSON.writerWithDefaultPrettyPrinter().writeValue(export.resolve("learn.json").toFile(), spec);
      out.printf("exported the labelled sets, recipe and encoders for the reference: %s%n", export);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot export for the reference", e);
    }
  }

  /** The fine-tuning recipe, field by field, as the reference reads it. */
  static ObjectNode recipe(FineTuneConfig config) {
    ObjectNode r = JSON.createObjectNode();
    r.put("optimizer", config.optimizer().kind().name());
    r.put("learning_rate", config.optimizer().learningRate());
    r.put("momentum", config.optimizer().momentum());
    r.put("weight_decay", config.optimizer().weightDecay());
    if (config.optimizer().schedule() != io.alfer.ml.train.OptimizerConfig.Schedule.COSINE) {
      throw new IllegalArgumentException("the reference implements the cosine schedule only");
    }
    r.put("final_learning_rate_fraction", config.optimizer().finalLearningRateFraction());
    r.put("warmup_fraction", config.warmupFraction());
    r.put("batch_size", config.batchSize());
    r.put("min_steps", config.minSteps());
    r.put("epochs", config.epochs());
    r.put("max_epochs", config.maxEpochs());
    r.put("stop_at_train_accuracy", config.stopAtTrainAccuracy());
    r.put("dropout", config.dropout());
    r.put("class_weighting", config.classWeighting().name());
    r.put("head_only_fraction", config.pretrained().headOnlyFraction());
    r.put("encoder_learning_rate_factor", config.pretrained().encoderLearningRateFactor());
    AugmentationConfig a = config.augmentation();
    ObjectNode aug = r.putObject("augmentation");
    aug.put("min_crop_scale", a.minCropScale());
    aug.put("max_crop_scale", a.maxCropScale());
    aug.put("min_aspect", a.minAspect());
    aug.put("max_aspect", a.maxAspect());
    aug.put("flip_probability", a.flipProbability());
    aug.put("jitter_probability", a.jitterProbability());
    aug.put("brightness", a.brightness());
    aug.put("contrast", a.contrast());
    aug.put("blur_probability", a.blurProbability());
    return r;
  }

  /**
   * The encoder's tensors (running statistics included) as one little-endian float32 file, and
   * their names and shapes in order; names lose the block tree's numeric prefixes ({@code
   * 01stem_02bn_gamma} → {@code stem_bn_gamma}).
   */
  static ArrayNode writeEncoder(EncoderModel model, Path file) throws IOException {
    ArrayNode tensors = JSON.createArrayNode();
    try (OutputStream stream = Files.newOutputStream(file);
        DataOutputStream data = new DataOutputStream(stream)) {
      for (var p : model.network().getParameters()) {
        float[] values = p.getValue().getArray().toFloatArray();
        ObjectNode t = tensors.addObject();
        t.put("name", p.getKey().replaceAll("(^|_)\\d\\d", "$1"));
        ArrayNode shape = t.putArray("shape");
        for (long d : p.getValue().getArray().getShape().getShape()) {
          shape.add(d);
        }
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        data.write(buffer.array());
      }
    }
    return tensors;
  }

  private static ArrayNode rowsOf(JsonNode ids, Map<String, Integer> rowOf) {
    ArrayNode rows = JSON.createArrayNode();
    for (JsonNode id : ids) {
      Integer row = rowOf.get(id.asText());
      if (row == null) {
        throw new IllegalStateException("labelled image " + id.asText() + " is not in the pool");
      }
      rows.add(row);
    }
    return rows;
  }

  private static byte[] ints(int[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asIntBuffer().put(values);
    return buffer.array();
  }

  /** Runs the reference over the export, echoing each round as it finishes. */
  private List<Outcome> runReference(Path export, PrintWriter out)
      throws IOException, InterruptedException {
    Path script = StackJars.repositoryRoot().resolve(SCRIPT);
    List<String> command = new ArrayList<>(List.of(python, script.toString(), export.toString()));
    if (referenceThreads > 0) {
      command.addAll(List.of("--threads", Integer.toString(referenceThreads)));
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<Outcome> outcomes = new ArrayList<>();
    StringBuilder other = new StringBuilder();
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.startsWith("{")) {
          Outcome o = Outcome.parse(JSON.readTree(line));
          outcomes.add(o);
          out.printf(
              Locale.ROOT,
              "  %-10s seed %d round %d  labelled %4d  accuracy %5.1f%%  (%d steps, %.0f s)%n",
              o.mode,
              o.seed,
              o.round,
              o.labelled,
              100 * o.accuracy,
              o.steps,
              o.seconds);
          out.flush();
        } else {
          other.append(line).append('\n');
        }
      }
    } finally {
      if (!process.waitFor(1, TimeUnit.MINUTES)) {
        process.destroyForcibly();
      }
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          "the reference failed (exit " + process.exitValue() + "):\n" + other);
    }
    return outcomes;
  }

  /** One round of the reference. */
  record Outcome(
      Mode mode, long seed, int round, int labelled, double accuracy, long steps, double seconds) {
    static Outcome parse(JsonNode o) {
      return new Outcome(
          Mode.of(o.get("mode").asText()),
          o.get("seed").asLong(),
          o.get("round").asInt(),
          o.get("labelled").asInt(),
          o.get("accuracy").asDouble(),
          o.get("steps").asLong(),
          o.get("seconds").asDouble());
    }
  }

  /** alfer's and the reference's accuracy per mode and round, over the seeds both ran. */
  record Comparison(Map<Mode, TreeMap<Integer, double[]>> rounds, List<Long> seeds) {
    /** Index 0: labelled, 1: alfer mean, 2: reference mean, 3: seeds counted. */
    static Comparison of(List<ResultRow> alfer, List<Outcome> reference) {
      Map<String, Double> alferByKey = new HashMap<>();
      for (ResultRow r : alfer) {
        alferByKey.put(r.mode().label() + "/" + r.seed() + "/" + r.round(), r.accuracy());
      }
      Map<Mode, TreeMap<Integer, double[]>> rounds = new TreeMap<>();
      List<Long> seeds = new ArrayList<>();
      for (Outcome o : reference) {
        Double a = alferByKey.get(o.mode.label() + "/" + o.seed + "/" + o.round);
        if (a == null) {
          continue;
        }
        if (!seeds.contains(o.seed)) {
          seeds.add(o.seed);
        }
        double[] cell =
            rounds
                .computeIfAbsent(o.mode, m -> new TreeMap<>())
                .computeIfAbsent(o.round, r -> new double[4]);
        cell[0] = o.labelled;
        cell[1] += a;
        cell[2] += o.accuracy;
        cell[3]++;
      }
      return new Comparison(rounds, seeds);
    }

    double alfer(Mode mode, int round) {
      double[] c = rounds.get(mode).get(round);
      return 100 * c[1] / c[3];
    }

    double reference(Mode mode, int round) {
      double[] c = rounds.get(mode).get(round);
      return 100 * c[2] / c[3];
    }

    void print(PrintWriter out) {
      out.printf(
          "%ntest accuracy (%%), random selection, mean over seeds %s%n",
          String.join(", ", seeds.stream().map(String::valueOf).toList()));
      out.printf(
          "%-12s %5s %9s %8s %8s %8s%n", "mode", "round", "labelled", "alfer", "PyTorch", "diff");
      rounds.forEach(
          (mode, byRound) ->
              byRound.forEach(
                  (round, c) ->
                      out.printf(
                          Locale.ROOT,
                          "%-12s %5d %9d %8.1f %8.1f %+8.1f%n",
                          mode.label(),
                          round,
                          (int) c[0],
                          alfer(mode, round),
                          reference(mode, round),
                          alfer(mode, round) - reference(mode, round))));
    }

    String keyValues(double alferSeconds, double referenceSeconds) {
      double worst = Double.NEGATIVE_INFINITY;
      String where = "";
      StringBuilder curves = new StringBuilder();
      for (var mode : rounds.entrySet()) {
        StringBuilder a = new StringBuilder();
        StringBuilder r = new StringBuilder();
        for (int round : mode.getValue().keySet()) {
          double shortfall = reference(mode.getKey(), round) - alfer(mode.getKey(), round);
          if (shortfall > worst) {
            worst = shortfall;
            where = mode.getKey().label() + "/r" + round;
          }
          a.append(a.length() > 0 ? "," : "").append(format(alfer(mode.getKey(), round)));
          r.append(r.length() > 0 ? "," : "").append(format(reference(mode.getKey(), round)));
        }
        curves
            .append(' ')
            .append(mode.getKey().label())
            .append("_alfer=")
            .append(a)
            .append(' ')
            .append(mode.getKey().label())
            .append("_torch=")
            .append(r);
      }
      return String.format(
          Locale.ROOT,
          "max_shortfall_points=%.1f at=%s seeds=%d%s alfer_s=%.0f torch_s=%.0f",
          worst,
          where,
          seeds.size(),
          curves,
          alferSeconds,
          referenceSeconds);
    }

    private static String format(double v) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
  }
}
