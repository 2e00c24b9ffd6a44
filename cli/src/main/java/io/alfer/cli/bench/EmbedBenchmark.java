package io.alfer.cli.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.InvalidProtocolBufferException;
import io.alfer.cli.service.ServiceProcess;
import io.alfer.cli.service.Shutdown;
import io.alfer.cli.stack.LocalStack;
import io.alfer.cli.stack.StackEnv;
import io.alfer.cli.stack.StackHomeOption;
import io.alfer.cli.stack.StackJars;
import io.alfer.cli.stack.StackPorts;
import io.alfer.core.catalog.CatalogWriter;
import io.alfer.core.catalog.KafkaAnnouncer;
import io.alfer.core.messaging.Origins;
import io.alfer.core.messaging.Topic;
import io.alfer.core.storage.ObjectStore;
import io.alfer.datasets.image.ImageNormalizer;
import io.alfer.datasets.image.NormalizedImage;
import io.alfer.datasets.synthetic.Sample;
import io.alfer.datasets.synthetic.SyntheticFer;
import io.alfer.ml.checkpoint.ModelStore;
import io.alfer.ml.data.Normalization;
import io.alfer.ml.model.EncoderModel;
import io.alfer.ml.model.EncoderSpec;
import io.alfer.ml.onnx.OnnxExporter;
import io.alfer.proto.v1.EmbeddingsReady;
import io.alfer.proto.v1.ImageIngested;
import io.alfer.proto.v1.ModelKind;
import io.alfer.proto.v1.ModelPublished;
import io.alfer.proto.v1.ObjectRef;
import io.alfer.proto.v1.Split;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code alfer bench embed}: the embed service end to end — model announced on alfer.models, the
 * images read from S3 (pixel segments as an import writes them, or one PNG each with {@code
 * --png-only}), run through ONNX Runtime in batches, matrices written to S3, EmbeddingsReady
 * received — against raw ONNX Runtime on the same model, the same decoded pixels and the same
 * batches in this process, on the same local stack and machine. The raw baseline is the mean of one
 * run just before and one just after the service's.
 */
@Command(
    name = "embed",
    mixinStandardHelpOptions = true,
    description = {
      "Embeds synthetic FER images with the embed service (S3 read, ONNX Runtime, S3 write,"
          + " event) and compares the throughput with raw ONNX Runtime on the same batches.",
      "%nFinal line: embed_per_s=... raw_ort_per_s=... ratio=..."
    })
public final class EmbedBenchmark implements Runnable {
  private static final int SIZE = 48;

  /** Images per pixel segment: the ingest service's default. */
  private static final int IMAGES_PER_SEGMENT = 512;

  @Spec CommandSpec spec;

  @Mixin StackHomeOption home;

  @Option(
      names = "--images",
      defaultValue = "10000",
      description = "Pool images (default ${DEFAULT-VALUE}).")
  int images;

  @Option(
      names = "--preset",
      defaultValue = "small",
      description = "Encoder preset: resnet18, small, tiny (default ${DEFAULT-VALUE}).")
  String preset;

  @Option(
      names = "--batch",
      defaultValue = "64",
      description = "Images per ONNX Runtime call, both sides (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--seed", defaultValue = "7", description = "Seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--threads",
      defaultValue = "0",
      description =
          "ONNX Runtime intra-op threads, both sides (and PyTorch's threads); 0 lets ONNX Runtime"
              + " choose, one per core (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--spinning",
      description =
          "Let ONNX Runtime's idle intra-op threads spin, both sides (the service's"
              + " alfer.embed.intra-op-spinning; off by default there and here).")
  boolean spinning;

  @Option(
      names = "--python",
      defaultValue = "/usr/bin/python3",
      description =
          "Interpreter for the eager PyTorch reference, run when it has torch and numpy"
              + " (default ${DEFAULT-VALUE}).")
  String python;

  @Option(
      names = "--warmup",
      defaultValue = "2000",
      description =
          "Images of a warm-up pass (other images, another model id) that the service does, and"
              + " raw ONNX Runtime runs, before anything is timed, so that both sides are measured"
              + " with warm JVMs, as a replica that has done a pass before; 0: none (default"
              + " ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--png-only",
      description =
          "Store the images one at a time, without pixel segments, as a single upload does: the"
              + " service then reads one PNG per image.")
  boolean pngOnly;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    System.setProperty("ai.djl.offline", "true");
    System.setProperty(
        "DJL_CACHE_DIR", home.layout().home().resolve("djl-cache").toAbsolutePath().toString());
    LocalStack stack = new LocalStack(home.layout(), out);
    Shutdown shutdown = new Shutdown(out);
    if (!stack.isRunning()) {
      shutdown.add("the local stack", stack::down);
    }
    Thread hook = new Thread(shutdown::run, "alfer-bench-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      StackEnv env = stack.up(StackPorts.fromEnvironment());
      ObjectStore store = new ObjectStore(env.s3());
      String run = Long.toString(System.currentTimeMillis(), 36);
      String dataset = "bench-embed-" + run;
      String modelId = "bench-" + preset + "-" + run;

      out.printf("generating and storing %d synthetic images (seed %d)%n", images, seed);
      out.flush();
      byte[] pixels = storeImages(env, store, dataset, images, seed);
      String warmDataset = dataset + "-warmup";
      byte[] warmPixels =
          warmup > 0 ? storeImages(env, store, warmDataset, warmup, seed + 1) : new byte[0];

      out.printf("exporting a %s encoder to ONNX%n", preset);
      out.flush();
      byte[] onnx;
      try (EncoderModel model =
          EncoderModel.create(
              EncoderSpec.preset(preset), SIZE, SIZE, Normalization.SYMMETRIC, seed)) {
        onnx = OnnxExporter.encoder(model).toByteArray();
        ModelStore.on(store)
            .saveOnnx(
                modelId, io.alfer.ml.checkpoint.ModelKind.ENCODER, OnnxExporter.encoder(model));
        if (warmup > 0) {
          store.put(
              ModelStore.key(modelId + "-warmup", ModelStore.ENCODER_ONNX),
              onnx,
              "application/octet-stream");
        }
      }

      ServiceProcess embed =
          ServiceProcess.start(
              "embed",
              home.layout(),
              env,
              Map.of(
                  "ALFER_EMBED_BATCH_SIZE",
                  Integer.toString(batch),
                  "ALFER_EMBED_DEVICE",
                  "cpu",
                  "ALFER_EMBED_INTRA_OP_THREADS",
                  Integer.toString(threads),
                  "ALFER_EMBED_INTRA_OP_SPINNING",
                  Boolean.toString(spinning),
                  "ALFER_EMBED_CONSUMER_GROUP",
                  "bench-embed-" + run),
              out);
      shutdown.add("embed", embed::close);

      if (warmup > 0) {
        out.printf("warm-up: %d other images, raw and through the service (not timed)%n", warmup);
        out.flush();
        rawOrt(onnx, warmPixels, warmup, null);
        serviceRun(env, modelId + "-warmup", warmDataset, onnx, warmup, null);
      }
      double rawBefore = rawOrt(onnx, pixels, images, out);
      double[] callsBefore = inferenceCalls(embed);
      double service = serviceRun(env, modelId, dataset, onnx, images, out);
      serviceInferenceTime(embed, callsBefore, out);
      // Raw runs bracket the service run; their mean is the baseline, so that a machine whose
      // load drifts during the run (shared CI runners) biases neither side.
      double raw = (rawBefore + rawOrt(onnx, pixels, images, out)) / 2;
      double torch = eagerTorch(pixels, out);
      out.printf(
          "embed_per_s=%.0f raw_ort_per_s=%.0f ratio=%.2f%s preset=%s images=%d batch=%d"
              + " threads=%d spinning=%b layout=%s warmup=%d%n",
          service,
          raw,
          service / raw,
          Double.isNaN(torch)
              ? " torch_per_s=none"
              : String.format(" torch_per_s=%.0f ort_vs_torch=%.2f", torch, raw / torch),
          preset,
          images,
          batch,
          threads,
          spinning,
          pngOnly ? "png" : "segments",
          warmup);
      out.flush();
    } finally {
      Runtime.getRuntime().removeShutdownHook(hook);
      shutdown.run();
    }
  }

  /**
   * Stores and announces every face as an import does — through the catalog writer, in pixel
   * segments of ingest's default size unless {@code --png-only} — and returns all pixels packed.
   */
  private byte[] storeImages(
      StackEnv env, ObjectStore store, String dataset, int images, long seed) {
    ImageNormalizer normalizer = new ImageNormalizer();
    byte[] pixels = new byte[images * SIZE * SIZE];
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (KafkaAnnouncer announcer = new KafkaAnnouncer(env.kafkaBootstrap())) {
      CatalogWriter writer = new CatalogWriter(store, announcer, "bench", "cli");
      CatalogWriter.Segments segments = writer.segments(dataset, IMAGES_PER_SEGMENT);
      List<Future<CompletableFuture<ImageIngested>>> pending = new ArrayList<>(images);
      Iterator<Sample> samples = new SyntheticFer(seed).samples(images);
      for (int i = 0; i < images; i++) {
        // index in the id: equal synthetic faces would otherwise share an id
        byte[] face = samples.next().pixels().clone();
        face[0] = (byte) (i & 0xFF);
        face[1] = (byte) ((i >> 8) & 0xFF);
        face[2] = (byte) ((i >> 16) & 0xFF);
        NormalizedImage img = normalizer.normalizeGrayPixels(face, SIZE, SIZE, "fer2013-csv");
        System.arraycopy(img.pixels(), 0, pixels, i * SIZE * SIZE, SIZE * SIZE);
        CatalogWriter.Image image =
            new CatalogWriter.Image(
                img.id(), img.png(), SIZE, SIZE, "raw-gray", null, img.pixels());
        pending.add(
            pool.submit(
                () ->
                    (pngOnly
                            ? writer.store(dataset, image, Split.SPLIT_POOL, -1, "bench")
                            : segments.add(image, Split.SPLIT_POOL, -1, "bench"))
                        .toCompletableFuture()));
      }
      List<CompletableFuture<ImageIngested>> announced = new ArrayList<>(images);
      for (Future<CompletableFuture<ImageIngested>> f : pending) {
        announced.add(f.get());
      }
      segments.flush();
      for (CompletableFuture<ImageIngested> a : announced) {
        a.get();
      }
      return pixels;
    } catch (Exception e) {
      throw new IllegalStateException("storing the bench images failed: " + e.getMessage(), e);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Announces the model and waits for its full pass over {@code images}; returns images per second.
   * Prints the time unless {@code out} is null (a warm-up).
   */
  private double serviceRun(
      StackEnv env, String modelId, String dataset, byte[] onnx, int images, PrintWriter out) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.kafkaBootstrap());
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.kafkaBootstrap());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaConsumer<String, byte[]> consumer =
            new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      List<TopicPartition> parts =
          consumer.partitionsFor(Topic.EMBEDDINGS.topicName()).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToEnd(parts);
      parts.forEach(consumer::position); // resolve now: nothing sent later is skipped
      ModelPublished model =
          ModelPublished.newBuilder()
              .setModelId(modelId)
              .setKind(ModelKind.MODEL_KIND_ENCODER)
              .setDataset(dataset)
              .setPreset(preset)
              .setOnnx(
                  ObjectRef.newBuilder()
                      .setKey(ModelStore.key(modelId, ModelStore.ENCODER_ONNX))
                      .setSizeBytes(onnx.length))
              .setInputWidth(SIZE)
              .setInputHeight(SIZE)
              .setEmbeddingDim(EncoderSpec.preset(preset).embeddingSize())
              .setOrigin(Origins.now("bench", "cli"))
              .build();
      long start = System.nanoTime();
      producer.send(new ProducerRecord<>(Topic.MODELS.topicName(), modelId, model.toByteArray()));
      producer.flush();
      long deadline = start + Duration.ofMinutes(30).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          if (!modelId.equals(r.key())) {
            continue;
          }
          EmbeddingsReady ready = EmbeddingsReady.parseFrom(r.value());
          if (ready.getIncrement()) {
            continue;
          }
          double seconds = (System.nanoTime() - start) / 1e9;
          if (out == null) {
            return ready.getCount() / seconds;
          }
          if (ready.getCount() != images) {
            out.printf("warning: %d of %d images embedded%n", ready.getCount(), images);
          }
          out.printf(
              "embed service (announce → S3 read → ONNX Runtime (%s) → S3 write → event):"
                  + " %d images in %.2f s%n",
              ready.getProvider(), ready.getCount(), seconds);
          out.flush();
          return ready.getCount() / seconds;
        }
      }
      throw new IllegalStateException("no EmbeddingsReady for " + modelId + " within 30 minutes");
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("unreadable EmbeddingsReady: " + e.getMessage(), e);
    }
  }

  /**
   * The service's ONNX Runtime calls so far (its batch latency metric): {count, seconds}, or null
   * when its metrics cannot be read.
   */
  private static double[] inferenceCalls(ServiceProcess embed) {
    try {
      String metrics =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .build()
              .send(
                  HttpRequest.newBuilder(embed.baseUri().resolve("/q/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      return new double[] {
        metric(metrics, "alfer_embed_batch_latency_seconds_count"),
        metric(metrics, "alfer_embed_batch_latency_seconds_sum")
      };
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Prints how much of the timed pass ONNX Runtime took in the service (calls since before). */
  private static void serviceInferenceTime(ServiceProcess embed, double[] before, PrintWriter out) {
    double[] after = inferenceCalls(embed);
    if (before == null || after == null) {
      out.println("  (service metrics unavailable)");
      return;
    }
    out.printf(
        "  of which ONNX Runtime calls in the service: %.0f batches, %.2f s%n",
        after[0] - before[0], after[1] - before[1]);
  }

  private static double metric(String metrics, String name) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /**
   * The session options of the raw side: those the embed service sets for the same {@code
   * --threads} and {@code --spinning} (its {@code InferenceRuntime}), graph optimisation at ONNX
   * Runtime's default (all).
   */
  private OrtSession.SessionOptions sessionOptions() throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    if (threads > 0) {
      options.setIntraOpNumThreads(threads);
    }
    options.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
    return options;
  }

  /**
   * Eager PyTorch over the same pixels in the same batches ({@code embed_reference.py}, the same
   * network); images per second, or NaN when the interpreter has no PyTorch.
   */
  private double eagerTorch(byte[] pixels, PrintWriter out) {
    try {
      if (!PythonTorch.available(python, "torch", "numpy")) {
        out.println(PythonTorch.missing(python, "python3-torch python3-numpy"));
        out.flush();
        return Double.NaN;
      }
      Path file = Files.createTempFile("alfer-bench-embed-", ".u8");
      try {
        Files.write(file, pixels);
        EncoderSpec spec = EncoderSpec.preset(preset);
        Path script = StackJars.repositoryRoot().resolve("cli/src/main/python/embed_reference.py");
        List<String> command =
            List.of(
                python,
                script.toString(),
                "--pixels",
                file.toString(),
                "--size",
                Integer.toString(SIZE),
                "--batch",
                Integer.toString(batch),
                "--threads",
                Integer.toString(
                    threads > 0 ? threads : Runtime.getRuntime().availableProcessors()),
                "--stem",
                Integer.toString(spec.stemChannels()),
                "--stages",
                PythonTorch.commaList(spec.stageChannels()),
                "--blocks",
                PythonTorch.commaList(spec.blocksPerStage()),
                "--mean",
                Float.toString(Normalization.SYMMETRIC.mean()),
                "--std",
                Float.toString(Normalization.SYMMETRIC.std()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
          out.printf("eager PyTorch failed:%n%s%n", output);
          return Double.NaN;
        }
        String last = output.strip().lines().reduce((a, b) -> b).orElse("");
        double perSecond =
            Double.parseDouble(last.replaceAll(".*torch_images_per_s=([0-9.]+).*", "$1"));
        out.printf(
            "eager PyTorch (cpu, inference mode, same batches of %d): %d images, %.0f/s%n",
            batch, images, perSecond);
        out.flush();
        return perSecond;
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException | NumberFormatException e) {
      out.printf("eager PyTorch unavailable: %s%n", e.getMessage());
      return Double.NaN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Double.NaN;
    }
  }

  /**
   * Raw ONNX Runtime over the same pixels in the same batches; returns images per second. Prints
   * the time unless {@code out} is null (a warm-up).
   */
  private double rawOrt(byte[] onnx, byte[] pixels, int images, PrintWriter out) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    int area = SIZE * SIZE;
    float[] lut = new float[256];
    for (int v = 0; v < 256; v++) {
      lut[v] = Normalization.SYMMETRIC.apply(v / 255f);
    }
    try (OrtSession.SessionOptions options = sessionOptions();
        OrtSession session = env.createSession(onnx, options)) {
      long start = System.nanoTime();
      for (int from = 0; from < images; from += batch) {
        int rows = Math.min(batch, images - from);
        FloatBuffer input =
            ByteBuffer.allocateDirect(rows * area * Float.BYTES)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        for (int i = from * area; i < (from + rows) * area; i++) {
          input.put(lut[pixels[i] & 0xFF]);
        }
        input.rewind();
        try (OnnxTensor tensor =
                OnnxTensor.createTensor(env, input, new long[] {rows, 1, SIZE, SIZE});
            OrtSession.Result result = session.run(Map.of("image", tensor))) {
          ((OnnxTensor) result.get(0)).getFloatBuffer();
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      if (out != null) {
        out.printf(
            "raw ONNX Runtime (cpu, in memory, same batches of %d): %d images in %.2f s%n",
            batch, images, seconds);
        out.flush();
      }
      return images / seconds;
    } catch (OrtException e) {
      throw new IllegalStateException("raw ONNX Runtime failed: " + e.getMessage(), e);
    }
  }
}
