package io.alfer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.alfer.cli.demo.DemoReport;
import io.alfer.cli.demo.DemoRun;
import io.alfer.cli.demo.DemoServices;
import io.alfer.cli.demo.DemoSettings;
import io.alfer.cli.service.Shutdown;
import io.alfer.cli.stack.LocalStack;
import io.alfer.cli.stack.StackEnv;
import io.alfer.cli.stack.StackException;
import io.alfer.cli.stack.StackHomeOption;
import io.alfer.cli.stack.StackPorts;
import io.alfer.core.storage.ObjectStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code alfer demo}: the main job on the local stack. Starts Kafka, S3 and every service with the
 * oracle vendor, generates and imports the synthetic FER set, pre-trains an encoder, runs two
 * campaigns side by side (random from scratch; cold start plus a strong strategy on the pre-trained
 * encoder), prints their per-round accuracy and writes an HTML report; then stops what it started
 * (also on Ctrl-C).
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the demo on the local stack: Kafka, S3, every service and the oracle vendor; imports a"
          + " synthetic FER set, pre-trains an encoder with SimCLR, and runs two active-learning"
          + " campaigns side by side (random sampling from scratch against a cold-start strategy"
          + " plus a strong strategy on the pre-trained encoder). Prints per-round test accuracy"
          + " and writes an HTML report with the accuracy-versus-labels plot.",
      "%nEverything it started is stopped at the end (also on Ctrl-C), unless --keep."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:both campaigns completed",
      "1:a step failed or a campaign did not complete (the reason is printed)",
      "2:invalid options",
      "130:stopped by Ctrl-C (what it started is stopped)"
    })
final class DemoCommand implements Runnable {
  @Spec CommandSpec spec;

  @Mixin StackHomeOption home;

  @Option(
      names = "--images",
      defaultValue = "2000",
      description = "Synthetic images to generate, pool and test (default ${DEFAULT-VALUE}).")
  int images;

  @Option(
      names = "--size",
      defaultValue = "32",
      description =
          "Side of the dataset's images: the generated 48 px faces are resampled to it"
              + " (default ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--dataset",
      defaultValue = "synthetic-fer",
      description = "Dataset name (default ${DEFAULT-VALUE}).")
  String dataset;

  @Option(
      names = "--preset",
      defaultValue = "tiny",
      description = "Encoder preset: tiny, small or resnet18 (default ${DEFAULT-VALUE}).")
  String preset;

  @Option(
      names = "--pretrain-epochs",
      defaultValue = "50",
      description = "SimCLR epochs (default ${DEFAULT-VALUE}).")
  int pretrainEpochs;

  @Option(
      names = "--pretrain-batch",
      defaultValue = "64",
      description = "SimCLR batch size (default ${DEFAULT-VALUE}).")
  int pretrainBatch;

  @Option(
      names = "--initial",
      defaultValue = "20",
      description = "Images labelled before the first round (default ${DEFAULT-VALUE}).")
  int initial;

  @Option(
      names = "--budget",
      defaultValue = "15",
      description = "Images labelled per round (default ${DEFAULT-VALUE}).")
  int budget;

  @Option(
      names = "--rounds",
      defaultValue = "3",
      description = "Selection rounds after the initial set (default ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--strategy",
      defaultValue = "margin",
      description = "Strategy of the pre-trained campaign (default ${DEFAULT-VALUE}).")
  String strategy;

  @Option(
      names = "--initial-strategy",
      defaultValue = "typiclust",
      description =
          "Cold-start strategy of the pre-trained campaign's initial set: random, typiclust,"
              + " probcover or coreset (default ${DEFAULT-VALUE}).")
  String initialStrategy;

  @Option(
      names = "--finetune-preset",
      defaultValue = "cpu-fast",
      description =
          "Fine-tuning preset of both campaigns: cpu-fast (SGD 0.2, batch 32, at least 1,600"
              + " steps) or paper (SGD 0.01, batch 20, up to 200 epochs) (default"
              + " ${DEFAULT-VALUE}).")
  String finetunePreset;

  @Option(
      names = "--finetune-epochs",
      defaultValue = "0",
      description =
          "Cap on each round's fine-tuning in epochs; 0 (default) keeps the preset's length.")
  int finetuneEpochs;

  @Option(
      names = "--timeout-minutes",
      defaultValue = "60",
      description = "Give up when the campaigns have not ended by then (default ${DEFAULT-VALUE}).")
  int timeoutMinutes;

  @Option(names = "--keep", description = "Leave the stack and services running at the end.")
  boolean keep;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    long started = System.nanoTime();
    DemoSettings settings =
        new DemoSettings(
            dataset,
            images,
            size,
            seed,
            preset,
            pretrainEpochs,
            pretrainBatch,
            initial,
            budget,
            rounds,
            finetunePreset,
            finetuneEpochs,
            strategy,
            initialStrategy);
    LocalStack stack = new LocalStack(home.layout(), out);
    Shutdown shutdown = new Shutdown(out);
    if (!stack.isRunning()) {
      shutdown.add("the local stack", stack::down);
    }
    Thread hook = new Thread(shutdown::run, "alfer-demo-shutdown");
    if (!keep) {
      Runtime.getRuntime().addShutdownHook(hook); // Ctrl-C stops what the demo started
    }
    try {
      StackEnv env = stack.up(StackPorts.fromEnvironment());
      DemoServices services = new DemoServices(home.layout(), env, Map.of()).start(shutdown, out);
      DemoRun demo = new DemoRun(settings, services, out);
      double majority = DemoRun.majorityAccuracy(demo.importSynthetic(home.layout().home()));
      String encoder = demo.pretrain();
      String runId = Long.toString(System.currentTimeMillis(), 36);
      Map<String, String> names = demo.startCampaigns(runId, encoder);
      Map<String, JsonNode> views = demo.follow(names, Duration.ofMinutes(timeoutMinutes));
      DemoReport report = new DemoReport(names, views, majority);
      report.print(out);
      Path dir = home.layout().home().resolve("reports").resolve("demo-" + runId);
      double minutes = (System.nanoTime() - started) / 60e9;
      Path page =
          report.write(
              dir,
              "alfer demo",
              List.of(
                  "%d synthetic FER images (seed %d) at %dx%d, dataset %s"
                      .formatted(images, seed, size, size, dataset),
                  "encoder %s, SimCLR %d epochs (model %s)"
                      .formatted(preset, pretrainEpochs, encoder),
                  "%d initial labels, %d rounds of %d, fine-tuning preset %s%s"
                      .formatted(
                          initial,
                          rounds,
                          budget,
                          finetunePreset,
                          finetuneEpochs > 0 ? " capped at " + finetuneEpochs + " epochs" : ""),
                  DemoReport.CAUTION,
                  String.format(Locale.ROOT, "wall time %.1f minutes", minutes)));
      upload(new ObjectStore(env.s3()), dir, "reports/demo-" + runId + "/");
      out.printf("%nreport: %s (also in S3 under reports/demo-%s/)%n", page, runId);
      out.printf(Locale.ROOT, "demo finished in %.1f minutes%n", minutes);
      out.flush();
      for (JsonNode v : views.values()) {
        if (!"completed".equals(v.path("state").asText())) {
          throw new StackException(
              "campaign "
                  + v.path("campaignId").asText()
                  + " "
                  + v.path("state").asText()
                  + ": "
                  + v.path("message").asText());
        }
      }
    } finally {
      if (!keep) {
        Runtime.getRuntime().removeShutdownHook(hook);
        shutdown.run();
      }
    }
  }

  private static void upload(ObjectStore store, Path dir, String prefix) {
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        store.put(
            prefix + name,
            Files.readAllBytes(f),
            name.endsWith(".png") ? "image/png" : "text/html; charset=utf-8");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
