package io.alfer.cli.experiment;

import io.alfer.al.strategy.Strategies;
import io.alfer.cli.service.ServiceProcess;
import io.alfer.cli.service.Shutdown;
import io.alfer.cli.stack.LocalStack;
import io.alfer.cli.stack.StackEnv;
import io.alfer.cli.stack.StackHomeOption;
import io.alfer.cli.stack.StackPorts;
import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.S3Settings;
import io.alfer.experiment.config.Cell;
import io.alfer.experiment.config.ExperimentPlan;
import io.alfer.experiment.config.FinetuneSettings;
import io.alfer.experiment.config.Mode;
import io.alfer.experiment.config.PretrainSettings;
import io.alfer.experiment.config.Profile;
import io.alfer.experiment.config.Protocol;
import io.alfer.experiment.data.CatalogReader;
import io.alfer.experiment.data.DatasetCatalog;
import io.alfer.experiment.data.ExperimentData;
import io.alfer.experiment.data.SyntheticImport;
import io.alfer.experiment.engine.CellExecutor;
import io.alfer.experiment.engine.ClassifierProbes;
import io.alfer.experiment.engine.ConsoleProgress;
import io.alfer.experiment.engine.ExperimentRunner;
import io.alfer.experiment.engine.InProcessCellRunner;
import io.alfer.experiment.engine.Machine;
import io.alfer.experiment.pretrain.PretrainCache;
import io.alfer.experiment.report.ReportWriter;
import io.alfer.experiment.results.StateStore;
import io.alfer.experiment.services.CampaignRequests;
import io.alfer.experiment.services.ServicesCellRunner;
import io.alfer.ml.data.ShardCache;
import io.alfer.ml.data.ShardStore;
import io.alfer.ml.store.BlobStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code alfer experiment}: the paper's protocol on a dataset in alfer's storage — every strategy
 * from scratch and SimCLR pre-trained, over seeds, rounds of selection and fine-tuning — into a
 * results directory (append-only CSV, Table I, gains, plots, HTML report). Runs in this process
 * with the services' libraries, or through the running services as campaigns.
 */
@Command(
    name = "experiment",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs the paper's protocol: each strategy x {scratch, pretrained} x seeds, an initial"
          + " labelled set, then rounds of selection and fine-tuning, test accuracy after every"
          + " round. Writes results.csv (append-only), table1.md/.csv, gains.csv, plots/*.png and"
          + " report.html into the results directory.",
      "%nAn interrupted run continues where it stopped when run again with the same options;"
          + " a results directory of another configuration is refused.",
      "%nKafka and S3: --kafka-bootstrap/--s3-endpoint (or ALFER_KAFKA_BOOTSTRAP/"
          + "ALFER_S3_ENDPOINT), else the local stack, started if needed and stopped at the end"
          + " unless --keep."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:every run finished and the tables were written",
      "1:a run failed (the reason is printed)",
      "2:invalid options"
    })
public final class ExperimentCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin StackHomeOption home;

  @Option(
      names = "--profile",
      defaultValue = "cpu",
      description = "paper (GPU: resnet18, native size), cpu or smoke (default ${DEFAULT-VALUE}).")
  String profile;

  @Option(names = "--dataset", description = "Dataset in alfer's storage (default: the profile's).")
  String dataset;

  @Option(
      names = "--strategies",
      split = ",",
      description = "Strategies (default: all of random, the paper's eight, typiclust, probcover).")
  List<String> strategies;

  @Option(
      names = "--modes",
      split = ",",
      description = "scratch and/or pretrained (default: both).")
  List<String> modes;

  @Option(names = "--seeds", split = ",", description = "Seeds (default: the profile's).")
  List<Long> seeds;

  @Option(names = "--encoder", description = "Encoder preset: resnet18, small or tiny.")
  String encoder;

  @Option(names = "--image-size", description = "Image side the networks see; 0 = native.")
  Integer imageSize;

  @Option(
      names = "--initial-size",
      description = "Labelled images in round 0 (instead of a fraction).")
  Integer initialSize;

  @Option(names = "--initial-fraction", description = "Share of the pool labelled in round 0.")
  Double initialFraction;

  @Option(
      names = "--budget-size",
      description = "Images selected per round (instead of a fraction).")
  Integer budgetSize;

  @Option(names = "--budget-fraction", description = "Share of the pool selected per round.")
  Double budgetFraction;

  @Option(names = "--rounds", description = "Selection rounds after round 0.")
  Integer rounds;

  @Option(names = "--pretrain-epochs", description = "SimCLR epochs.")
  Integer pretrainEpochs;

  @Option(names = "--pretrain-batch", description = "SimCLR batch size.")
  Integer pretrainBatch;

  @Option(names = "--finetune-preset", description = "paper or cpu-fast.")
  String finetunePreset;

  @Option(names = "--finetune-epochs", description = "Most fine-tuning epochs per round.")
  Integer finetuneEpochs;

  @Option(names = "--finetune-batch", description = "Fine-tuning batch size.")
  Integer finetuneBatch;

  @Option(names = "--finetune-lr", description = "Fine-tuning peak learning rate.")
  Double finetuneLr;

  @Option(
      names = "--cold-start",
      description =
          "strategy (default): pre-trained typiclust/probcover choose round 0's set on the SimCLR"
              + " embeddings; random: every cell starts from the seed's random set.")
  String coldStart;

  @Option(
      names = "--param",
      description = "A strategy parameter, e.g. --param typiclust.max-clusters=500 (repeatable).")
  List<String> params = new ArrayList<>();

  @Option(
      names = "--results",
      paramLabel = "DIR",
      description = "Results directory (default <home>/experiments/<profile>-<dataset>).")
  Path results;

  @Option(
      names = "--generate",
      description = "When the dataset is absent, generate the synthetic FER set into storage.")
  boolean generate;

  @Option(
      names = "--synthetic-images",
      description = "Synthetic images to generate with --generate (default: the profile's).")
  Integer syntheticImages;

  @Option(
      names = "--synthetic-seed",
      defaultValue = "1",
      description = "Seed of the synthetic set (default ${DEFAULT-VALUE}).")
  long syntheticSeed;

  @Option(
      names = "--max-cells",
      defaultValue = "0",
      description = "Run at most this many cells now; the next run goes on (default: all).")
  int maxCells;

  @Option(names = "--dry-run", description = "Print the plan and sizes, run nothing.")
  boolean dryRun;

  @Option(names = "--threads", description = "Intra-op threads of the engine (default: all cores).")
  Integer threads;

  @Option(
      names = "--through-services",
      description = "Run the cells as campaigns of the running services instead of in process.")
  boolean throughServices;

  @Option(names = "--select-url", description = "Select service (default: start it).")
  URI selectUrl;

  @Option(names = "--trainer-url", description = "Trainer service (default: start it).")
  URI trainerUrl;

  @Option(
      names = "--kafka-bootstrap",
      defaultValue = "${env:ALFER_KAFKA_BOOTSTRAP}",
      description = "Kafka to use instead of the local stack.")
  String kafkaBootstrap;

  @Option(
      names = "--s3-endpoint",
      defaultValue = "${env:ALFER_S3_ENDPOINT}",
      description = "S3 endpoint to use instead of the local stack (credentials from ALFER_S3_*).")
  String s3Endpoint;

  @Option(names = "--keep", description = "Leave a local stack this command started running.")
  boolean keep;

  /**
   * What a caller does with a finished run while its storage is still reachable (the benchmark
   * {@code bench learn} exports the labelled sets and encoders for its reference).
   */
  @FunctionalInterface
  public interface Finished {
    /**
     * @param plan what ran
     * @param data the dataset's tensors as the cells saw them
     * @param directory the results directory
     * @param objects the object store (pre-trained encoders live there)
     */
    void accept(ExperimentPlan plan, ExperimentData data, Path directory, ObjectStore objects);
  }

  @Override
  public Integer call() {
    return execute(null);
  }

  /** The stack's home (data, caches, results), once the options are parsed. */
  public Path homeDirectory() {
    return home.layout().home();
  }

  /** The results directory this command writes to, once its options are parsed. */
  public Path resultsDirectory() {
    return results != null
        ? results
        : homeDirectory()
            .resolve("experiments")
            .resolve(Profile.of(profile).label() + "-" + protocol(Profile.of(profile)).dataset());
  }

  /** Runs the experiment, then {@code after} (when given) before the stack is stopped. */
  public int execute(Finished after) {
    PrintWriter out = spec.commandLine().getOut();
    Profile chosen = Profile.of(profile);
    Protocol protocol = protocol(chosen);
    ExperimentPlan plan =
        new ExperimentPlan(
            protocol,
            strategies == null ? chosen.strategies() : strategies,
            modes == null ? chosen.modes() : modes.stream().map(Mode::of).toList(),
            seeds == null ? chosen.seeds() : seeds);
    Path directory = resultsDirectory();
    engineSettings();

    Shutdown shutdown = new Shutdown(out);
    Thread hook = new Thread(shutdown::run, "alfer-experiment-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      StackEnv env = environment(out, shutdown);
      ObjectStore objects = new ObjectStore(env.s3());
      objects.ensureBucket();
      DatasetCatalog catalog = catalog(env, objects, protocol, chosen, out);
      ShardStore shards =
          new ShardStore(
              BlobStore.of(objects), new ShardCache(home.layout().home().resolve("cache/shards")));
      out.printf(
          "dataset %s: %d pool images, %d test images; packing/reading shards%n",
          catalog.dataset(), catalog.poolSize(), catalog.testIds().size());
      out.flush();
      ExperimentData data = ExperimentData.load(catalog, objects, shards, protocol.imageSize());
      ExperimentRunner.checkSizes(protocol, data.poolSize());
      if (dryRun) {
        printPlan(plan, data, directory, out);
        return 0;
      }
      out.printf("results: %s%n", directory.toAbsolutePath());
      out.flush();
      ConsoleProgress progress = new ConsoleProgress(out, Duration.ofSeconds(20));
      try (CellExecutor executor =
          executor(protocol, data, objects, directory, env, out, shutdown)) {
        ExperimentRunner runner = new ExperimentRunner(plan, data, directory, executor, progress);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("profile", chosen.label());
        run.put("command", String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        ExperimentRunner.Outcome outcome = runner.run(maxCells, run);
        printResults(directory, outcome, out);
        if (after != null) {
          after.accept(plan, data, directory, objects);
        }
      }
      return 0;
    } finally {
      Runtime.getRuntime().removeShutdownHook(hook);
      shutdown.run();
    }
  }

  /** The profile's protocol with every option given on the command line applied. */
  Protocol protocol(Profile chosen) {
    Protocol base = chosen.protocol();
    Protocol.Builder b = base.toBuilder();
    b.dataset(dataset != null ? dataset : chosen.dataset());
    if (encoder != null) {
      b.encoderPreset(encoder);
    }
    if (imageSize != null) {
      b.imageSize(imageSize);
    }
    if (initialFraction != null) {
      b.initialFraction(initialFraction);
    }
    if (initialSize != null) {
      b.initialSize(initialSize);
    }
    if (budgetFraction != null) {
      b.budgetFraction(budgetFraction);
    }
    if (budgetSize != null) {
      b.budgetSize(budgetSize);
    }
    if (rounds != null) {
      b.rounds(rounds);
    }
    PretrainSettings pre = base.pretraining();
    if (pretrainEpochs != null) {
      pre = pre.withEpochs(pretrainEpochs);
    }
    if (pretrainBatch != null) {
      pre =
          new PretrainSettings(
              pre.epochs(),
              pretrainBatch,
              pre.learningRate(),
              pre.temperature(),
              pre.warmupEpochs());
    }
    b.pretraining(pre);
    FinetuneSettings fine = base.finetuning();
    b.finetuning(
        new FinetuneSettings(
            finetunePreset != null ? finetunePreset : fine.preset(),
            finetuneEpochs != null ? finetuneEpochs : fine.maxEpochs(),
            finetuneBatch != null ? finetuneBatch : fine.batchSize(),
            finetuneLr != null ? finetuneLr : fine.learningRate()));
    if (coldStart != null) {
      if (!coldStart.equals("strategy") && !coldStart.equals("random")) {
        throw new IllegalArgumentException(
            "--cold-start must be 'strategy' or 'random', got '" + coldStart + "'");
      }
      b.coldStart(coldStart.equals("strategy"));
    }
    b.strategyParameters(parameters());
    return b.build();
  }

  private Map<String, Map<String, String>> parameters() {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (String p : params) {
      int dot = p.indexOf('.');
      int eq = p.indexOf('=');
      if (dot <= 0 || eq < dot + 2) {
        throw new IllegalArgumentException(
            "--param must look like strategy.name=value, got '" + p + "'");
      }
      String strategy = p.substring(0, dot);
      Strategies.parameters(strategy);
      out.computeIfAbsent(strategy, s -> new LinkedHashMap<>())
          .put(p.substring(dot + 1, eq), p.substring(eq + 1));
    }
    return out;
  }

  /**
   * DJL offline, its cache beside the stack's data, the thread count, passive OpenMP waiting;
   * before the engine loads.
   */
  private void engineSettings() {
    Machine.preferPassiveOpenMpWaiting();
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
      System.setProperty(
          "DJL_CACHE_DIR", home.layout().home().resolve("djl-cache").toAbsolutePath().toString());
    }
    if (threads != null) {
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
      System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** Kafka and S3: the given ones, else the local stack (started here when needed). */
  private StackEnv environment(PrintWriter out, Shutdown shutdown) {
    boolean kafkaGiven = kafkaBootstrap != null && !kafkaBootstrap.isBlank();
    boolean s3Given = s3Endpoint != null && !s3Endpoint.isBlank();
    if (kafkaGiven != s3Given) {
      throw new IllegalArgumentException(
          "give both --kafka-bootstrap and --s3-endpoint (or ALFER_KAFKA_BOOTSTRAP and"
              + " ALFER_S3_ENDPOINT), or neither to use the local stack");
    }
    if (kafkaGiven) {
      Map<String, String> envVars = new LinkedHashMap<>(System.getenv());
      envVars.put("ALFER_S3_ENDPOINT", s3Endpoint);
      return new StackEnv(kafkaBootstrap.strip(), S3Settings.fromEnvironment(envVars));
    }
    LocalStack stack = new LocalStack(home.layout(), out);
    if (!stack.isRunning() && !keep) {
      shutdown.add("the local stack", stack::down);
    }
    return stack.up(StackPorts.fromEnvironment());
  }

  private DatasetCatalog catalog(
      StackEnv env, ObjectStore objects, Protocol protocol, Profile chosen, PrintWriter out) {
    CatalogReader reader = new CatalogReader(env.kafkaBootstrap(), Duration.ofMinutes(5));
    Optional<DatasetCatalog> catalog = reader.read(protocol.dataset());
    if (catalog.isPresent() && catalog.get().poolSize() > 0) {
      return catalog.get();
    }
    if (!generate) {
      throw new IllegalArgumentException(
          "dataset "
              + protocol.dataset()
              + " has no pool images in alfer's storage; import it (./alfer demo imports the"
              + " synthetic set through the ingest service) or add --generate to generate the"
              + " synthetic FER set into storage");
    }
    int count = syntheticImages != null ? syntheticImages : chosen.syntheticImages();
    out.printf(
        "dataset %s is absent: generating %d synthetic FER images (seed %d) into storage%n",
        protocol.dataset(), count, syntheticSeed);
    out.flush();
    new SyntheticImport(env.kafkaBootstrap(), objects)
        .importInto(
            protocol.dataset(),
            count,
            syntheticSeed,
            line -> {
              out.println(line);
              out.flush();
            });
    return reader
        .read(protocol.dataset())
        .filter(c -> c.poolSize() > 0)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "dataset " + protocol.dataset() + " is still empty after the import"));
  }

  private CellExecutor executor(
      Protocol protocol,
      ExperimentData data,
      ObjectStore objects,
      Path directory,
      StackEnv env,
      PrintWriter out,
      Shutdown shutdown) {
    if (!throughServices) {
      return new InProcessCellRunner(
          protocol,
          data,
          new PretrainCache(objects),
          new StateStore(directory),
          ClassifierProbes.ofMl());
    }
    ServicesCellRunner.requireServiceable(protocol, data);
    URI trainer = trainerUrl;
    URI select = selectUrl;
    if (trainer == null || select == null) {
      // The loop's services, each on its own port, configured from the stack's environment.
      for (String name : List.of("trainer", "embed", "label", "oracle", "select")) {
        if ((name.equals("trainer") && trainer != null)
            || (name.equals("select") && select != null)) {
          continue;
        }
        ServiceProcess service = ServiceProcess.start(name, home.layout(), env, Map.of(), out);
        shutdown.add(name, service::close);
        if (name.equals("trainer")) {
          trainer = service.baseUri();
        } else if (name.equals("select")) {
          select = service.baseUri();
        }
      }
    }
    return new ServicesCellRunner(
        protocol,
        data,
        ExperimentRunner.identity(protocol, data, "services"),
        select,
        trainer,
        List.of(CampaignRequests.ORACLE),
        Duration.ofSeconds(2),
        Duration.ofHours(2));
  }

  private static void printPlan(
      ExperimentPlan plan, ExperimentData data, Path directory, PrintWriter out) {
    Protocol p = plan.protocol();
    out.printf(
        "plan: %d cells (%d strategies x %d modes x %d seeds), rounds 0..%d%n",
        plan.cells().size(),
        plan.strategies().size(),
        plan.modes().size(),
        plan.seeds().size(),
        p.rounds());
    for (int r = 0; r <= p.rounds(); r++) {
      out.printf(
          "  round %d: %d labelled%n", r, ExperimentRunner.labelledAfter(p, data.poolSize(), r));
    }
    out.printf("protocol: %s%n", p.describe());
    out.printf("results directory: %s%n", directory.toAbsolutePath());
    for (Cell cell : plan.cells()) {
      out.println("  " + cell.label());
    }
    out.flush();
  }

  private static void printResults(
      Path directory, ExperimentRunner.Outcome outcome, PrintWriter out) {
    try {
      String md = Files.readString(directory.resolve(ReportWriter.TABLE_MD));
      int start = md.indexOf("## Table I");
      int end = start < 0 ? -1 : md.indexOf("\n## ", start + 1);
      if (start >= 0) {
        out.println();
        out.println(end < 0 ? md.substring(start) : md.substring(start, end));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.printf(
        "%d cells run now, %d were complete already%s%n",
        outcome.ran(),
        outcome.skipped(),
        outcome.remaining() > 0
            ? ", " + outcome.remaining() + " left: run the same command again to go on"
            : "");
    out.printf(
        "results: %s (append-only), %s, %s, %s/, %s%n",
        directory.resolve("results.csv"),
        directory.resolve(ReportWriter.TABLE_MD),
        directory.resolve(ReportWriter.TABLE_CSV),
        directory.resolve(ReportWriter.PLOTS),
        directory.resolve(ReportWriter.HTML));
    out.flush();
  }
}
