package io.alfer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.alfer.cli.service.ImportWatcher;
import io.alfer.cli.service.IngestClient;
import io.alfer.cli.service.ServiceProcess;
import io.alfer.cli.service.Shutdown;
import io.alfer.cli.stack.LocalStack;
import io.alfer.cli.stack.StackEnv;
import io.alfer.cli.stack.StackPorts;
import io.alfer.datasets.synthetic.SyntheticFer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code alfer demo}: the main job on the local stack. Starts Kafka and S3 (unless running), starts
 * the services, generates the synthetic FER set, imports it through the ingest service and prints
 * the dataset summary; then stops what it started (also on Ctrl-C).
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the demo on the local stack: starts Kafka, S3 and the services, generates a synthetic"
          + " FER set, imports it and prints the dataset summary.",
      "%nEverything it started is stopped at the end (also on Ctrl-C), unless --keep."
    })
final class DemoCommand implements Runnable {
  @Spec CommandSpec spec;

  @Mixin StackHomeOption home;

  @Option(
      names = "--images",
      defaultValue = "35887",
      description = "Synthetic images to generate (default ${DEFAULT-VALUE}, FER2013's size).")
  int images;

  @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--dataset",
      defaultValue = "synthetic-fer",
      description = "Dataset name (default ${DEFAULT-VALUE}).")
  String dataset;

  @Option(names = "--keep", description = "Leave the stack and services running at the end.")
  boolean keep;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
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
      ServiceProcess ingest = ServiceProcess.start("ingest", home.layout(), env, Map.of(), out);
      shutdown.add("ingest", ingest::close);

      Path csv = generate(out);
      IngestClient client = new IngestClient(ingest.baseUri());
      JsonNode started = client.startImport(dataset, csv, "fer2013-csv");
      ImportWatcher.follow(client, started.path("id").asText(), out);
      Files.deleteIfExists(csv);
      DatasetSummaryTable.print(client.dataset(dataset), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (!keep) {
        Runtime.getRuntime().removeShutdownHook(hook);
        shutdown.run();
      }
    }
  }

  private Path generate(PrintWriter out) throws IOException {
    Path csv = home.layout().home().resolve("synthetic-fer.csv");
    out.printf("generating %d synthetic FER images (seed %d) into %s%n", images, seed, csv);
    out.flush();
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(csv), 1 << 20)) {
      new SyntheticFer(seed).writeFer2013Csv(os, images);
    }
    return csv;
  }
}
