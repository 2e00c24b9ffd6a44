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
import io.alfer.cli.stack.StackPorts;
import io.alfer.core.messaging.Origins;
import io.alfer.core.messaging.Topic;
import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.StorageLayout;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
 * {@code alfer bench embed}: the embed service end to end — model announced on alfer.models, every
 * canonical PNG read from S3, decoded, run through ONNX Runtime in batches, matrices written to S3,
 * EmbeddingsReady received — against raw ONNX Runtime on the same model, the same decoded pixels
 * and the same batches in this process, on the same local stack and machine. The raw baseline is
 * the mean of one run just before and one just after the service's.
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
      byte[] pixels = storeImages(env, store, dataset);

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
                  "ALFER_EMBED_CONSUMER_GROUP",
                  "bench-embed-" + run),
              out);
      shutdown.add("embed", embed::close);

      double rawBefore = rawOrt(onnx, pixels, out);
      double service = serviceRun(env, modelId, dataset, onnx, out);
      serviceInferenceTime(embed, out);
      // Raw runs bracket the service run; their mean is the baseline, so that a machine whose
      // load drifts during the run (shared CI runners) biases neither side.
      double raw = (rawBefore + rawOrt(onnx, pixels, out)) / 2;
      out.printf("embed_per_s=%.0f raw_ort_per_s=%.0f ratio=%.2f%n", service, raw, service / raw);
      out.flush();
    } finally {
      Runtime.getRuntime().removeShutdownHook(hook);
      shutdown.run();
    }
  }

  /** Stores every face's canonical PNG, announces it, and returns all pixels packed. */
  private byte[] storeImages(StackEnv env, ObjectStore store, String dataset) {
    ImageNormalizer normalizer = new ImageNormalizer();
    byte[] pixels = new byte[images * SIZE * SIZE];
    ExecutorService pool = Executors.newFixedThreadPool(8);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.kafkaBootstrap());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      List<Future<?>> pending = new ArrayList<>(images);
      Iterator<Sample> samples = new SyntheticFer(seed).samples(images);
      for (int i = 0; i < images; i++) {
        // index in the id: equal synthetic faces would otherwise share an id
        byte[] face = samples.next().pixels().clone();
        face[0] = (byte) (i & 0xFF);
        face[1] = (byte) ((i >> 8) & 0xFF);
        face[2] = (byte) ((i >> 16) & 0xFF);
        NormalizedImage img = normalizer.normalizeGrayPixels(face, SIZE, SIZE, "fer2013-csv");
        System.arraycopy(img.pixels(), 0, pixels, i * SIZE * SIZE, SIZE * SIZE);
        pending.add(
            pool.submit(
                () -> {
                  String key = StorageLayout.canonicalImage(dataset, img.id());
                  ObjectRef ref = store.put(key, img.png(), "image/png");
                  ImageIngested event =
                      ImageIngested.newBuilder()
                          .setImageId(img.id())
                          .setDataset(dataset)
                          .setSplit(Split.SPLIT_POOL)
                          .setLabel(-1)
                          .setCanonical(ref)
                          .setWidth(SIZE)
                          .setHeight(SIZE)
                          .setSourceFormat("fer2013-csv")
                          .setOrigin(Origins.now("bench", "cli"))
                          .build();
                  return producer
                      .send(
                          new ProducerRecord<>(
                              Topic.IMAGES.topicName(), img.id(), event.toByteArray()))
                      .get();
                }));
      }
      for (Future<?> f : pending) {
        f.get();
      }
      return pixels;
    } catch (Exception e) {
      throw new IllegalStateException("storing the bench images failed: " + e.getMessage(), e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Announces the model and waits for its full pass; returns images per second. */
  private double serviceRun(
      StackEnv env, String modelId, String dataset, byte[] onnx, PrintWriter out) {
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

  /** Prints how much of the service's time ONNX Runtime took (its batch latency metric). */
  private static void serviceInferenceTime(ServiceProcess embed, PrintWriter out) {
    try {
      String metrics =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .build()
              .send(
                  HttpRequest.newBuilder(embed.baseUri().resolve("/q/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      double sum = metric(metrics, "alfer_embed_batch_latency_seconds_sum");
      double count = metric(metrics, "alfer_embed_batch_latency_seconds_count");
      out.printf(
          "  of which ONNX Runtime calls in the service: %.0f batches, %.2f s%n", count, sum);
    } catch (IOException e) {
      out.printf("  (service metrics unavailable: %s)%n", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static double metric(String metrics, String name) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** Raw ONNX Runtime over the same pixels in the same batches; returns images per second. */
  private double rawOrt(byte[] onnx, byte[] pixels, PrintWriter out) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    int area = SIZE * SIZE;
    float[] lut = new float[256];
    for (int v = 0; v < 256; v++) {
      lut[v] = Normalization.SYMMETRIC.apply(v / 255f);
    }
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
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
      out.printf(
          "raw ONNX Runtime (cpu, in memory, same batches of %d): %d images in %.2f s%n",
          batch, images, seconds);
      out.flush();
      return images / seconds;
    } catch (OrtException e) {
      throw new IllegalStateException("raw ONNX Runtime failed: " + e.getMessage(), e);
    }
  }
}
