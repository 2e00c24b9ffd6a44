package io.alfer.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.alfer.cli.service.ImportWatcher;
import io.alfer.cli.service.IngestClient;
import io.alfer.cli.service.ServiceProcess;
import io.alfer.cli.service.Shutdown;
import io.alfer.cli.stack.LocalStack;
import io.alfer.cli.stack.StackEnv;
import io.alfer.cli.stack.StackHomeOption;
import io.alfer.cli.stack.StackPorts;
import io.alfer.core.storage.ObjectStore;
import io.alfer.datasets.image.ImageNormalizer;
import io.alfer.datasets.synthetic.Sample;
import io.alfer.datasets.synthetic.SyntheticFer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code alfer bench ingest}: bulk-import throughput of the ingest service (FER2013 CSV path, end
 * to end: upload, parse, normalise, store, announce) against raw S3 PUTs of the same canonical PNG
 * bytes with the same client and parallelism, on the same local stack.
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Imports synthetic FER images through the ingest service's FER2013-CSV path and compares"
          + " the throughput with raw S3 PUTs of the same canonical PNG bytes.",
      "%nFinal line: ingest_images_per_s=... raw_put_per_s=... ratio=..."
    })
public final class IngestBenchmark implements Runnable {
  @Spec CommandSpec spec;

  @Mixin StackHomeOption home;

  @Option(
      names = "--images",
      defaultValue = "35887",
      description = "Images (default ${DEFAULT-VALUE}, FER2013's size).")
  int images;

  @Option(
      names = "--parallelism",
      defaultValue = "8",
      description =
          "Concurrent PUTs of the raw baseline and import workers of the service"
              + " (default ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(names = "--seed", defaultValue = "7", description = "Seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--warmup",
      defaultValue = "20000",
      description =
          "Images imported (and PUT raw) before the timed runs, so that both sides are measured"
              + " with warm JVMs; other images than the timed ones. 5,000 left both JITs"
              + " compiling the S3 client's path: the two raw runs differed by up to 1.9x"
              + " (default ${DEFAULT-VALUE}).")
  int warmup;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    LocalStack stack = new LocalStack(home.layout(), out);
    Shutdown shutdown = new Shutdown(out);
    if (!stack.isRunning()) {
      shutdown.add("the local stack", stack::down);
    }
    Thread hook = new Thread(shutdown::run, "alfer-bench-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      StackEnv env = stack.up(StackPorts.fromEnvironment());
      ServiceProcess ingest =
          ServiceProcess.start(
              "ingest",
              home.layout(),
              env,
              Map.of("ALFER_INGEST_IMPORT_PARALLELISM", Integer.toString(parallelism)),
              out);
      shutdown.add("ingest", ingest::close);
      String run = Long.toString(System.currentTimeMillis(), 36);

      ObjectStore store = new ObjectStore(env.s3());
      IngestClient client = new IngestClient(ingest.baseUri());
      if (warmup > 0) {
        out.printf(
            "warm-up: %d other synthetic images (seed %d), imported and PUT raw%n",
            warmup, seed + 1);
        out.flush();
        Path warm = home.layout().home().resolve("bench-ingest-warmup-" + run + ".csv");
        List<byte[]> warmPngs = generate(warm, seed + 1, warmup);
        rawPuts(store, warmPngs, "bench/raw-warmup-" + run + "/", out);
        JsonNode warmStarted = client.startImport("bench-warmup-" + run, warm, "fer2013-csv");
        ImportWatcher.follow(client, warmStarted.path("id").asText(), out);
        Files.deleteIfExists(warm);
      }

      out.printf("generating %d synthetic images (seed %d)%n", images, seed);
      out.flush();
      Path csv = home.layout().home().resolve("bench-ingest-" + run + ".csv");
      List<byte[]> pngs = generate(csv, seed, images);

      // The raw baseline runs just before and just after the service; its rate is the mean of
      // the two, so drift in the machine's background load weighs on both sides alike.
      double rawBefore = rawPuts(store, pngs, "bench/raw-" + run + "/", out);

      // Timed from the upload's first byte to the import's own end (finishedAt, the same clock),
      // not to the progress poll that notices it.
      long start = System.nanoTime();
      Instant startedAt = Instant.now();
      JsonNode started = client.startImport("bench-" + run, csv, "fer2013-csv");
      double accepting = (System.nanoTime() - start) / 1e9;
      JsonNode done = ImportWatcher.follow(client, started.path("id").asText(), out);
      double seconds =
          Duration.between(startedAt, Instant.parse(done.path("finishedAt").asText())).toNanos()
              / 1e9;
      out.printf("ingest upload and whole-file check (until 202 Accepted): %.1f s%n", accepting);
      Files.deleteIfExists(csv);
      long accepted = done.path("accepted").asLong();
      if (accepted != images) {
        out.printf("warning: %d of %d images accepted%n", accepted, images);
      }
      double rawAfter = rawPuts(store, pngs, "bench/raw-after-" + run + "/", out);
      double raw = (rawBefore + rawAfter) / 2;
      double ingestRate = accepted / seconds;
      out.printf(
          "ingest (HTTP upload + parse + normalise + PUT + announce): %d images in %.1f s%n",
          accepted, seconds);
      out.printf(
          "ingest_images_per_s=%.0f raw_put_per_s=%.0f ratio=%.2f%n",
          ingestRate, raw, ingestRate / raw);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      Runtime.getRuntime().removeShutdownHook(hook);
      shutdown.run();
    }
  }

  /** Writes the CSV and returns the canonical PNG of every row, as ingest will store them. */
  private static List<byte[]> generate(Path csv, long seed, int images) throws IOException {
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(csv), 1 << 20)) {
      new SyntheticFer(seed).writeFer2013Csv(os, images);
    }
    ImageNormalizer normalizer = new ImageNormalizer();
    List<byte[]> pngs = new ArrayList<>(images);
    Iterator<Sample> samples = new SyntheticFer(seed).samples(images);
    while (samples.hasNext()) {
      Sample s = samples.next();
      pngs.add(normalizer.normalizeGrayPixels(s.pixels(), 48, 48, "fer2013-csv").png());
    }
    return pngs;
  }

  /** PUTs every PNG with {@code parallelism} threads; returns PUTs per second. */
  private double rawPuts(ObjectStore store, List<byte[]> pngs, String prefix, PrintWriter out) {
    ExecutorService pool = Executors.newFixedThreadPool(parallelism);
    try {
      long start = System.nanoTime();
      List<Future<?>> futures = new ArrayList<>(pngs.size());
      for (int i = 0; i < pngs.size(); i++) {
        byte[] png = pngs.get(i);
        String key = prefix + i + ".png";
        futures.add(pool.submit(() -> store.put(key, png, "image/png")));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      out.printf(
          "raw S3 PUT of the same canonical PNGs (%d threads): %d objects in %.1f s%n",
          parallelism, pngs.size(), seconds);
      out.flush();
      return pngs.size() / seconds;
    } catch (Exception e) {
      throw new IllegalStateException("raw PUT baseline failed: " + e.getMessage(), e);
    } finally {
      pool.shutdownNow();
    }
  }
}
