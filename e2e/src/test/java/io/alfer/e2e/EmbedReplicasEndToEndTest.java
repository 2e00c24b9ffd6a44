package io.alfer.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alfer.cli.service.ServiceProcess;
import io.alfer.cli.service.Shutdown;
import io.alfer.cli.stack.LocalStack;
import io.alfer.cli.stack.StackEnv;
import io.alfer.cli.stack.StackLayout;
import io.alfer.cli.stack.StackPorts;
import io.alfer.core.messaging.Origins;
import io.alfer.core.messaging.Topic;
import io.alfer.core.storage.IdList;
import io.alfer.core.storage.ObjectStore;
import io.alfer.experiment.data.SyntheticImport;
import io.alfer.ml.checkpoint.ModelKind;
import io.alfer.ml.checkpoint.ModelStore;
import io.alfer.ml.data.Normalization;
import io.alfer.ml.model.EncoderModel;
import io.alfer.ml.model.EncoderSpec;
import io.alfer.ml.onnx.OnnxExporter;
import io.alfer.proto.v1.ImageIngested;
import io.alfer.proto.v1.ModelPublished;
import io.alfer.proto.v1.ObjectRef;
import io.alfer.proto.v1.Split;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two embed replicas on the local stack (each its own process, as two pods) share one pass through
 * the work items on alfer.embed.work; one is killed (SIGKILL) in the middle of the pass. The pass
 * completes, its rows are exactly the pool's images, each once, and no work item was stored by both
 * replicas (services/embed/adr/0002-work-items.md).
 */
class EmbedReplicasEndToEndTest {
  static final int IMAGES = 1500;
  static final String DATASET = "e2e-replicas";
  static final PrintWriter OUT = new PrintWriter(System.out, true);
  static final Pattern EMBEDDED = Pattern.compile("(\\S+/p\\d+-\\d+-\\d+): (\\d+) images embedded");
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir static Path home;

  static Shutdown shutdown;
  static StackLayout layout;
  static StackEnv env;
  static ObjectStore store;

  @BeforeAll
  static void startStack() throws IOException {
    shutdown = new Shutdown(OUT);
    layout = new StackLayout(home);
    LocalStack stack = new LocalStack(layout, OUT);
    shutdown.add("the local stack", stack::down);
    env = stack.up(new StackPorts(freePort(), freePort(), freePort()));
    store = new ObjectStore(env.s3());
    new SyntheticImport(env.kafkaBootstrap(), store).importInto(DATASET, IMAGES, 5, OUT::println);
  }

  @AfterAll
  static void stopStack() {
    if (shutdown != null) {
      shutdown.run();
    }
  }

  @Test
  void twoReplicasShareAPassAndOneKilledMidPassLosesNothingAndDoublesNothing() throws Exception {
    Map<String, String> settings =
        Map.of(
            "ALFER_EMBED_DEVICE", "cpu",
            "ALFER_EMBED_ITEM_IMAGES", "40",
            "ALFER_EMBED_WORK_SESSION_TIMEOUT", "6s",
            "ALFER_EMBED_RETRY_DELAY", "1s");
    ServiceProcess a = ServiceProcess.startReplica("embed", "embed-a", layout, env, settings, OUT);
    shutdown.add("embed-a", a::close);
    ServiceProcess b = ServiceProcess.startReplica("embed", "embed-b", layout, env, settings, OUT);
    shutdown.add("embed-b", b::close);

    String modelId = "replicas-encoder";
    String base = "embeddings/" + modelId + "/" + DATASET + "/pool/";
    announce(modelId);
    // Both take part; then b dies in the middle of the pass.
    await("each replica has stored work items of the pass")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> items(a, "embedded") >= 1 && items(b, "embedded") >= 2);
    assertThat(store.exists(base + "ids.txt")).as("the pass is not complete yet").isFalse();
    b.kill();
    try {
      await("the full pass, with embed-b dead")
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> store.exists(base + "ids.txt"));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      OUT.printf(
          "embed-a's log:%n%s%nembed-b's log:%n%s%nplans: %s%n",
          a.logTail(60), b.logTail(20), store.listKeys(base + "plans/"));
      throw e;
    }

    // The union is exact: every pool image once.
    List<String> rows = IdList.fromBytes(store.get(base + "ids.txt"));
    Set<String> pool = poolIds();
    assertThat(pool).isNotEmpty();
    assertThat(rows).hasSize(pool.size()).doesNotHaveDuplicates();
    assertThat(new HashSet<>(rows)).isEqualTo(pool);

    // Every planned item was stored: none lost.
    Set<String> planned = planned(base, modelId);
    assertThat(planned).isNotEmpty();
    assertThat(planned)
        .as("planned items without their stored chunk")
        .allSatisfy(item -> assertThat(store.exists(chunkIds(base, item))).as(item).isTrue());

    // By one replica: a replica logs an item once it has stored it, so an item in both logs was
    // done twice. An item in neither was stored by embed-b in the instant before its kill, before
    // the line; embed-a found it stored and skipped it. embed-b stores one item at a time, so there
    // is at most one such item.
    Set<String> byA = itemsIn(layout.logs().resolve("embed-a.log"));
    Set<String> byB = itemsIn(layout.logs().resolve("embed-b.log"));
    Set<String> unlogged = new HashSet<>(planned);
    unlogged.removeAll(byA);
    unlogged.removeAll(byB);
    OUT.printf(
        "work items stored: embed-a %d, embed-b %d (killed mid-pass), stored by embed-b just"
            + " before its kill %d, planned %d%n",
        byA.size(), byB.size(), unlogged.size(), planned.size());
    assertThat(byA).isNotEmpty();
    assertThat(byB).isNotEmpty();
    assertThat(byA).as("items stored by both replicas").doesNotContainAnyElementsOf(byB);
    assertThat(planned).containsAll(byA).containsAll(byB);
    assertThat(unlogged).hasSizeLessThanOrEqualTo(1);
    assertThat(items(a, "stored_already"))
        .as("items embed-a skipped as stored")
        .isGreaterThanOrEqualTo(unlogged.size());
  }

  /** The object whose presence marks an item of the pass (model/dataset/pool/item) stored. */
  private static String chunkIds(String base, String item) {
    return base + "items/" + item.substring(item.lastIndexOf('/') + 1) + "/ids.txt";
  }

  private static void announce(String modelId) throws IOException {
    try (EncoderModel model =
        EncoderModel.create(EncoderSpec.SMALL, 48, 48, Normalization.SYMMETRIC, 3)) {
      byte[] onnx = OnnxExporter.encoder(model).toByteArray();
      ModelStore.on(store).saveOnnx(modelId, ModelKind.ENCODER, OnnxExporter.encoder(model));
      ModelPublished published =
          ModelPublished.newBuilder()
              .setModelId(modelId)
              .setKind(io.alfer.proto.v1.ModelKind.MODEL_KIND_ENCODER)
              .setDataset(DATASET)
              .setPreset("small")
              .setOnnx(
                  ObjectRef.newBuilder()
                      .setKey(ModelStore.key(modelId, ModelStore.ENCODER_ONNX))
                      .setSizeBytes(onnx.length))
              .setInputWidth(48)
              .setInputHeight(48)
              .setEmbeddingDim(EncoderSpec.SMALL.embeddingSize())
              .setOrigin(Origins.now("e2e", "test"))
              .build();
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.kafkaBootstrap());
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
        producer
            .send(new ProducerRecord<>(Topic.MODELS.topicName(), modelId, published.toByteArray()))
            .get();
      } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("announcing the model failed", e);
      }
    }
  }

  /** Work items a replica took with an outcome (embedded, stored_already…), from its /q/metrics. */
  private static double items(ServiceProcess replica, String outcome) {
    try {
      String metrics =
          HTTP.send(
                  HttpRequest.newBuilder(URI.create(replica.baseUri() + "/q/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      return metrics
          .lines()
          .filter(
              l ->
                  l.startsWith("alfer_embed_work_items_total{")
                      && l.contains("outcome=\"" + outcome + "\""))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
          .sum();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /** The ids of the items a replica's log says it stored. */
  private static Set<String> itemsIn(Path log) throws IOException {
    Set<String> items = new HashSet<>();
    for (String line : Files.readAllLines(log)) {
      Matcher m = EMBEDDED.matcher(line);
      if (m.find()) {
        items.add(m.group(1));
      }
    }
    return items;
  }

  /** The ids of the items the plans of the pass name. */
  private static Set<String> planned(String base, String modelId) {
    Set<String> items = new HashSet<>();
    for (String key : store.listKeys(base + "plans/")) {
      for (String item : IdList.fromBytes(store.get(key))) {
        items.add(modelId + "/" + DATASET + "/pool/" + item);
      }
    }
    return items;
  }

  /** The ids of the dataset's pool images, read from alfer.images to its end. */
  private static Set<String> poolIds() throws IOException {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.kafkaBootstrap());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    Set<String> ids = new HashSet<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts =
          c.partitionsFor(Topic.IMAGES.topicName()).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          ImageIngested image = ImageIngested.parseFrom(r.value());
          if (image.getDataset().equals(DATASET) && image.getSplit() == Split.SPLIT_POOL) {
            ids.add(image.getImageId());
          }
        }
      }
    }
    return ids;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
