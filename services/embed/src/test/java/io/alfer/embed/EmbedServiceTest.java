package io.alfer.embed;

import static io.alfer.embed.Fixtures.bootstrap;
import static io.alfer.embed.Fixtures.store;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.google.protobuf.InvalidProtocolBufferException;
import io.alfer.core.messaging.DeadLetter;
import io.alfer.core.messaging.Topic;
import io.alfer.core.storage.IdList;
import io.alfer.core.storage.Matrix;
import io.alfer.core.storage.StorageLayout;
import io.alfer.embed.Fixtures.Face;
import io.alfer.embed.inference.ModelSession;
import io.alfer.embed.model.ModelEntry;
import io.alfer.embed.model.ModelRegistry;
import io.alfer.embed.model.ModelState;
import io.alfer.ml.model.ClassifierModel;
import io.alfer.ml.model.EncoderModel;
import io.alfer.ml.model.Predictions;
import io.alfer.proto.v1.EmbedWorkItem;
import io.alfer.proto.v1.EmbeddingsReady;
import io.alfer.proto.v1.ImageIngested;
import io.alfer.proto.v1.ModelKind;
import io.alfer.proto.v1.ModelPublished;
import io.alfer.proto.v1.Split;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.ReceivedRecord;
import io.alfer.testkit.S3TestResource;
import io.alfer.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The service against the test kit's real Kafka broker and S3 server. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class EmbedServiceTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Inject ModelRegistry registry;

  @Test
  void anEncoderIsRunOverThePoolThenOverImagesIngestedLater() throws Exception {
    String dataset = unique("enc");
    String modelId = unique("encoder");
    List<Face> faces = Fixtures.faces(21, 30, 5);
    List<Face> pool = faces.stream().filter(f -> f.split() == Split.SPLIT_POOL).toList();
    Fixtures.ingest(dataset, faces);
    try (EncoderModel djl = Fixtures.encoder(modelId, 4)) {
      Fixtures.publish(
          modelId, ModelKind.MODEL_KIND_ENCODER, dataset, Fixtures.encoderKey(modelId), 100);

      EmbeddingsReady full = ready(modelId, false, 1).get(0);
      assertThat(full.getDataset()).isEqualTo(dataset);
      assertThat(full.getSplit()).isEqualTo(Split.SPLIT_POOL);
      assertThat(full.getCount()).isEqualTo(pool.size());
      assertThat(full.getProvider()).isEqualTo("cpu");
      assertThat(full.hasProbabilities()).isFalse();
      assertThat(full.getEmbeddings().getRows()).isEqualTo(pool.size());
      assertThat(full.getEmbeddings().getCols()).isEqualTo(64);
      assertThat(full.getOrigin().getService()).isEqualTo("embed");
      String prefix = "embeddings/" + modelId + "/" + dataset + "/pool/";
      assertThat(full.getEmbeddings().getObject().getKey()).isEqualTo(prefix + "embeddings.f32");
      // Every partition of alfer.images has its first plan; the pool's 24 images went in work
      // items of at most 5 (the test profile's item-images), each stored once.
      assertThat(store().listKeys(prefix + "plans/"))
          .filteredOn(k -> k.endsWith("/initial.txt"))
          .hasSize(3);
      List<String> items =
          store().listKeys(prefix + "items/").stream().filter(k -> k.endsWith("/ids.txt")).toList();
      assertThat(items.size()).isGreaterThanOrEqualTo(5);
      assertThat(
              items.stream()
                  .mapToInt(k -> IdList.fromBytes(store().get(k)).size())
                  .peek(n -> assertThat(n).isBetween(1, 5))
                  .sum())
          .isEqualTo(pool.size());

      Map<String, float[]> rows = rows(full.getIds().getKey(), full.getEmbeddings());
      assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(ids(pool));
      float[][] expected = djl.embed(Fixtures.packed(pool), 8);
      for (int i = 0; i < pool.size(); i++) {
        assertClose(rows.get(pool.get(i).id()), expected[i]);
      }
      // No work on the test split for an encoder.
      assertThat(store().listKeys("embeddings/" + modelId + "/" + dataset + "/test/")).isEmpty();

      // A face ingested later: embedded by the live model as an increment of just that image.
      Face late = Fixtures.faces(99, 1, 0).get(0);
      Fixtures.ingest(dataset, List.of(late));
      EmbeddingsReady increment = ready(modelId, true, 1).get(0);
      assertThat(increment.getCount()).isEqualTo(1);
      Map<String, float[]> lateRows = rows(increment.getIds().getKey(), increment.getEmbeddings());
      assertThat(lateRows.keySet()).containsExactly(late.id());
      assertClose(lateRows.get(late.id()), djl.embed(Fixtures.packed(List.of(late)), 1)[0]);

      // The REST endpoint gives the same embedding for the same image, posted as a PNG.
      List<Float> embedding =
          given()
              .contentType("image/png")
              .body(pool.get(0).png())
              .post("/models/{id}/embeddings", modelId)
              .then()
              .statusCode(200)
              .body("imageId", equalTo(pool.get(0).id()))
              .body("provider", equalTo("cpu"))
              .body("probabilities", hasSize(0))
              .extract()
              .jsonPath()
              .getList("embedding", Float.class);
      float[] viaRest = new float[embedding.size()];
      for (int k = 0; k < viaRest.length; k++) {
        viaRest[k] = embedding.get(k);
      }
      assertClose(viaRest, rows.get(pool.get(0).id()));
    }
  }

  @Test
  void importedImagesAreReadFromTheirPixelSegmentsAndFromTheirPngsWhenASegmentIsUnusable()
      throws Exception {
    String dataset = unique("seg");
    String modelId = unique("segmented");
    List<Face> pool = Fixtures.faces(55, 24, 0);
    List<String> segments = Fixtures.ingestInSegments(dataset, pool, 10);
    assertThat(segments).hasSize(3);
    // The first segment's images have no PNG any more: only the segment can give their pixels.
    List<Face> onlyInSegment = pool.subList(0, 10);
    onlyInSegment.forEach(f -> store().delete(StorageLayout.canonicalImage(dataset, f.id())));
    // The second segment is corrupt (same length, other bytes): its images come from their PNGs.
    byte[] corrupt = store().get(segments.get(1));
    corrupt[corrupt.length - 1] ^= 0x5a;
    store().put(segments.get(1), corrupt, "application/octet-stream");
    try (EncoderModel djl = Fixtures.encoder(modelId, 6)) {
      Fixtures.publish(
          modelId, ModelKind.MODEL_KIND_ENCODER, dataset, Fixtures.encoderKey(modelId), 100);
      EmbeddingsReady full = ready(modelId, false, 1).get(0);
      assertThat(full.getCount()).isEqualTo(pool.size());
      Map<String, float[]> rows = rows(full.getIds().getKey(), full.getEmbeddings());
      float[][] expected = djl.embed(Fixtures.packed(pool), 8);
      for (int i = 0; i < pool.size(); i++) {
        assertClose(rows.get(pool.get(i).id()), expected[i]);
      }
    }
  }

  @Test
  void anItemWhoseRowsCannotBeStoredIsTakenAgainAndNothingOfItIsLeftHalfWritten() throws Exception {
    String dataset = unique("unstored");
    String modelId = unique("unstored");
    List<Face> pool = Fixtures.faces(77, 12, 0);
    Fixtures.ingest(dataset, pool);
    String prefix = "embeddings/" + modelId + "/" + dataset + "/pool/";
    // A folder where each item's embeddings go: S3 refuses that object (and only that one) while
    // it is there, after the item was embedded, so the item's storing fails and nothing else.
    List<String> blockers =
        itemKeys(dataset, pool.size()).stream()
            .map(k -> prefix + "items/" + k + "/embeddings.f32/blocked")
            .toList();
    blockers.forEach(b -> store().put(b, new byte[] {1}, "application/octet-stream"));
    double failedBefore = itemsFailed();
    try (EncoderModel djl = Fixtures.encoder(modelId, 8)) {
      Fixtures.publish(
          modelId, ModelKind.MODEL_KIND_ENCODER, dataset, Fixtures.encoderKey(modelId), 100);
      await("items refused by S3 and taken again")
          .atMost(WAIT)
          .until(() -> itemsFailed() >= failedBefore + 3);
      assertThat(store().listKeys(prefix + "items/")).allMatch(k -> k.endsWith("/blocked"));
      assertThat(store().exists(prefix + "ids.txt")).isFalse();

      blockers.forEach(b -> store().delete(b));
      EmbeddingsReady full = ready(modelId, false, 1).get(0);
      assertThat(full.getCount()).isEqualTo(pool.size());
      Map<String, float[]> rows = rows(full.getIds().getKey(), full.getEmbeddings());
      float[][] expected = djl.embed(Fixtures.packed(pool), 8);
      for (int i = 0; i < pool.size(); i++) {
        assertClose(rows.get(pool.get(i).id()), expected[i]);
      }
      // Each image in exactly one stored item.
      List<String> stored =
          store().listKeys(prefix + "items/").stream()
              .filter(k -> k.endsWith("/ids.txt"))
              .flatMap(k -> IdList.fromBytes(store().get(k)).stream())
              .toList();
      assertThat(stored).containsExactlyInAnyOrderElementsOf(ids(pool));
    }
  }

  /**
   * A bad work record right behind an item whose storing fails is taken again with it each time the
   * worker seeks back to that item: it is dead-lettered the first time only, then just committed.
   */
  @Test
  void aBadWorkRecordTakenAgainBehindAFailingItemIsDeadLetteredOnce() throws Exception {
    String dataset = unique("dlq-once");
    String modelId = unique("dlq-once");
    List<Face> pool = Fixtures.faces(88, 1, 0); // one image: one work item
    Fixtures.ingest(dataset, pool);
    String prefix = "embeddings/" + modelId + "/" + dataset + "/pool/";
    String blocker = prefix + "items/" + itemKeys(dataset, 1).get(0) + "/embeddings.f32/blocked";
    store().put(blocker, new byte[] {1}, "application/octet-stream");
    double deadBefore = deadLettered(Topic.EMBED_WORK, "undecodable");
    try (TopicProbe dlq = TopicProbe.fromBeginning(bootstrap(), Topic.EMBED_WORK.dlqName());
        EncoderModel djl = Fixtures.encoder(modelId, 9)) {
      Fixtures.publish(
          modelId, ModelKind.MODEL_KIND_ENCODER, dataset, Fixtures.encoderKey(modelId), 100);
      ReceivedRecord item;
      try (TopicProbe work = TopicProbe.fromBeginning(bootstrap(), Topic.EMBED_WORK.topicName())) {
        item = work.await(r -> modelId.equals(workModel(r)), 1, WAIT).get(0);
      }
      // The same key: the same partition, behind the item that S3 keeps refusing.
      Fixtures.send(Topic.EMBED_WORK, item.key(), new byte[] {(byte) 0xFF, 0, 1});
      assertThat(reason(dlq, item.key())).isEqualTo("undecodable");
      double failedThen = itemsFailed();
      await("the failing item and the bad record behind it taken again three more times")
          .atMost(WAIT)
          .until(() -> itemsFailed() >= failedThen + 3);
      assertThat(deadLettered(Topic.EMBED_WORK, "undecodable")).isEqualTo(deadBefore + 1);

      store().delete(blocker);
      EmbeddingsReady full = ready(modelId, false, 1).get(0);
      assertThat(full.getCount()).isEqualTo(1);
      assertThat(deadLettered(Topic.EMBED_WORK, "undecodable")).isEqualTo(deadBefore + 1);
    }
  }

  /** The model of a work record; empty for a record that is not a work item. */
  private static String workModel(ReceivedRecord r) {
    if (r.value() == null) {
      return "";
    }
    try {
      return EmbedWorkItem.parseFrom(r.value()).getModelId();
    } catch (InvalidProtocolBufferException e) {
      return "";
    }
  }

  /** Records this service dead-lettered from a topic for a reason. */
  private static double deadLettered(Topic topic, String reason) {
    return counter(
        "alfer_embed_dead_letters_total",
        "topic=\"" + topic.topicName() + "\"",
        "reason=\"" + reason + "\"");
  }

  /**
   * The keys of the work items a dataset's pool is planned into: per partition of alfer.images, its
   * images in offset order, cut into items of the test profile's 5.
   */
  private static List<String> itemKeys(String dataset, int images) throws Exception {
    List<ReceivedRecord> records;
    try (TopicProbe probe = TopicProbe.fromBeginning(bootstrap(), Topic.IMAGES.topicName())) {
      records = probe.await(r -> r.value() != null && dataset.equals(datasetOf(r)), images, WAIT);
    }
    Map<Integer, List<Long>> offsets =
        records.stream()
            .collect(
                Collectors.groupingBy(
                    ReceivedRecord::partition,
                    Collectors.mapping(ReceivedRecord::offset, Collectors.toList())));
    List<String> keys = new ArrayList<>();
    offsets.forEach(
        (partition, list) -> {
          List<Long> sorted = list.stream().sorted().toList();
          for (int from = 0; from < sorted.size(); from += 5) {
            List<Long> item = sorted.subList(from, Math.min(sorted.size(), from + 5));
            keys.add("p" + partition + "-" + item.get(0) + "-" + item.get(item.size() - 1));
          }
        });
    return keys;
  }

  /** The dataset of an image record; empty for the bad records other tests put on the topic. */
  private static String datasetOf(ReceivedRecord r) {
    try {
      return ImageIngested.parseFrom(r.value()).getDataset();
    } catch (InvalidProtocolBufferException e) {
      return "";
    }
  }

  private static double itemsFailed() {
    return counter("alfer_embed_work_items_total", "outcome=\"failed\"");
  }

  /** The sum of a counter's series ({@code /q/metrics}) that carry every one of {@code labels}. */
  private static double counter(String name, String... labels) {
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    return metrics
        .lines()
        .filter(l -> l.startsWith(name + "{"))
        .filter(l -> Arrays.stream(labels).allMatch(l::contains))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void aClassifierCoversPoolAndTestWithClassProbabilities() throws Exception {
    String dataset = unique("cls");
    String modelId = unique("classifier");
    List<Face> faces = Fixtures.faces(33, 20, 4);
    Fixtures.ingest(dataset, faces);
    try (ClassifierModel djl = Fixtures.classifier(modelId, 8)) {
      Fixtures.publish(
          modelId, ModelKind.MODEL_KIND_CLASSIFIER, dataset, Fixtures.classifierKey(modelId), 100);
      List<EmbeddingsReady> events = ready(modelId, false, 2);
      assertThat(events)
          .extracting(EmbeddingsReady::getSplit)
          .containsExactlyInAnyOrder(Split.SPLIT_POOL, Split.SPLIT_TEST);
      for (EmbeddingsReady e : events) {
        List<Face> split = faces.stream().filter(f -> f.split() == e.getSplit()).toList();
        assertThat(e.getCount()).isEqualTo(split.size());
        assertThat(e.getProbabilities().getCols()).isEqualTo(7);
        Map<String, float[]> probabilities = rows(e.getIds().getKey(), e.getProbabilities());
        Predictions expected = Fixtures.predictions(djl, split);
        for (int i = 0; i < split.size(); i++) {
          float[] p = probabilities.get(split.get(i).id());
          double[] q = expected.probabilities(i);
          double sum = 0;
          for (int k = 0; k < 7; k++) {
            assertThat((double) p[k]).isCloseTo(q[k], within(1e-4));
            sum += p[k];
          }
          assertThat(sum).isCloseTo(1.0, within(1e-5));
        }
      }
      given()
          .contentType("image/png")
          .body(faces.get(1).png())
          .post("/models/{id}/embeddings", modelId)
          .then()
          .statusCode(200)
          .body("embedding", hasSize(64))
          .body("probabilities", hasSize(7))
          .body("classes", equalTo(Fixtures.FER7));
    }
  }

  @Test
  void aNewerModelOfTheSameLineageRetiresTheOlderAndClosesItsSession() throws Exception {
    String dataset = unique("lineage");
    String older = unique("older");
    String newer = unique("newer");
    String stale = unique("stale");
    Fixtures.ingest(dataset, Fixtures.faces(44, 6, 0));
    try (EncoderModel a = Fixtures.encoder(older, 1);
        EncoderModel b = Fixtures.encoder(newer, 2);
        EncoderModel c = Fixtures.encoder(stale, 3)) {
      Fixtures.publish(
          older, ModelKind.MODEL_KIND_ENCODER, dataset, Fixtures.encoderKey(older), 200);
      ready(older, false, 1);
      ModelEntry entry = registry.find(older).orElseThrow();
      ModelSession session = registry.session(entry);
      assertThat(session.isClosed()).isFalse();

      Fixtures.publish(
          newer, ModelKind.MODEL_KIND_ENCODER, dataset, Fixtures.encoderKey(newer), 300);
      ready(newer, false, 1);
      assertThat(entry.state()).isEqualTo(ModelState.RETIRED);
      assertThat(session.isClosed()).isTrue();
      // Announced late but older than the live one: retired at once.
      Fixtures.publish(
          stale, ModelKind.MODEL_KIND_ENCODER, dataset, Fixtures.encoderKey(stale), 250);
      await("the stale model is known").atMost(WAIT).until(() -> registry.find(stale).isPresent());
      assertThat(registry.find(stale).orElseThrow().state()).isEqualTo(ModelState.RETIRED);

      given()
          .get("/models?dataset={d}", dataset)
          .then()
          .statusCode(200)
          .body("size()", equalTo(3))
          .body("find { it.modelId == '" + newer + "' }.state", equalTo("live"))
          .body("find { it.modelId == '" + older + "' }.state", equalTo("retired"));
      given()
          .contentType("image/png")
          .body(Fixtures.faces(1, 1, 0).get(0).png())
          .post("/models/{id}/embeddings", older)
          .then()
          .statusCode(410)
          .body("error", equalTo("model_retired"));
    }
  }

  @Test
  void badRecordsAreDeadLetteredAndTheRestGoesOn() throws Exception {
    String dataset = unique("bad");
    String modelId = unique("survivor");
    String junkModel = unique("junk-model");
    String kindless = unique("kindless");
    String missing = unique("no-onnx");
    String junkImage = unique("junk-image");
    try (TopicProbe models = TopicProbe.fromBeginning(bootstrap(), Topic.MODELS.dlqName());
        TopicProbe images = TopicProbe.fromBeginning(bootstrap(), Topic.IMAGES.dlqName());
        EncoderModel djl = Fixtures.encoder(modelId, 6)) {
      Fixtures.send(Topic.MODELS, junkModel, "not protobuf \u0000\u00ff".getBytes());
      Fixtures.send(
          Topic.MODELS,
          kindless,
          ModelPublished.newBuilder()
              .setModelId(kindless)
              .setDataset(dataset)
              .build()
              .toByteArray());
      Fixtures.publish(missing, ModelKind.MODEL_KIND_ENCODER, dataset, "models/nowhere.onnx", 100);
      Fixtures.send(Topic.IMAGES, junkImage, new byte[] {(byte) 0xFF, 0, 1});

      assertThat(reason(models, junkModel)).isEqualTo("undecodable");
      assertThat(reason(models, kindless)).isEqualTo("invalid_model_event");
      assertThat(reason(models, missing)).isEqualTo("onnx_missing");
      assertThat(reason(images, junkImage)).isEqualTo("undecodable");
      given().get("/models/{id}", missing).then().statusCode(200).body("state", equalTo("failed"));

      // One announced image has no PNG in S3: it is left out and dead-lettered, the rest embedded.
      List<Face> faces = Fixtures.faces(55, 9, 0);
      Fixtures.ingest(dataset, faces.subList(0, 8));
      Fixtures.announceOnly(dataset, faces.get(8));
      Fixtures.publish(
          modelId, ModelKind.MODEL_KIND_ENCODER, dataset, Fixtures.encoderKey(modelId), 200);
      EmbeddingsReady full = ready(modelId, false, 1).get(0);
      assertThat(full.getCount()).isEqualTo(8);
      assertThat(reason(images, faces.get(8).id())).isEqualTo("missing_object");
    }
  }

  @Test
  void restRefusesBadRequestsWithReasons() throws Exception {
    String dataset = unique("rest");
    String modelId = unique("rest-model");
    Fixtures.ingest(dataset, Fixtures.faces(66, 3, 0));
    try (EncoderModel djl = Fixtures.encoder(modelId, 9)) {
      Fixtures.publish(
          modelId, ModelKind.MODEL_KIND_ENCODER, dataset, Fixtures.encoderKey(modelId), 100);
      ready(modelId, false, 1);
      refused(modelId, "hello".getBytes(), 400, "not_an_image");
      refused(
          modelId, new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0, 0, 0}, 415, "unsupported_format");
      refused(modelId, new byte[1024 * 1024 + 1], 413, "too_large");
      refused("no-such-model", Fixtures.faces(1, 1, 0).get(0).png(), 404, "unknown_model");
      given()
          .get("/models/no-such-model")
          .then()
          .statusCode(404)
          .body("error", equalTo("unknown_model"));
      given().get("/models/{id}", modelId).then().statusCode(200).body("kind", equalTo("encoder"));
    }
  }

  @Test
  void healthSaysWhereModelsRunAndMetricsAreExposed() {
    given().get("/q/health/live").then().statusCode(200);
    await("ready")
        .atMost(WAIT)
        .until(
            () -> given().get("/q/health/ready").then().extract().statusCode(),
            code -> code == 200);
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("checks.find { it.name == 'dependencies' }.data.provider", equalTo("cpu"))
        .body("checks.find { it.name == 'dependencies' }.data.models", equalTo(true))
        .body("checks.find { it.name == 'dependencies' }.data.images", equalTo(true));
    String cudaUnavailable =
        given()
            .get("/q/health/ready")
            .then()
            .extract()
            .path("checks.find { it.name == 'dependencies' }.data.cudaUnavailable");
    assertThat(cudaUnavailable).isNotBlank();
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .contains("alfer_embed_images_total")
        .contains("alfer_embed_batch_latency_seconds")
        .contains("alfer_embed_backlog")
        .contains("alfer_embed_sessions_open");
    given().get("/q/openapi").then().statusCode(200);
  }

  // --- helpers -------------------------------------------------------------------------------

  private static void refused(String modelId, byte[] body, int status, String reason) {
    given()
        .contentType("application/octet-stream")
        .body(body)
        .post("/models/{id}/embeddings", modelId)
        .then()
        .statusCode(status)
        .contentType(ContentType.JSON)
        .body("error", equalTo(reason));
  }

  private static String reason(TopicProbe probe, String key) {
    ReceivedRecord r = probe.await(x -> key.equals(x.key()), 1, WAIT).get(0);
    assertThat(r.header(DeadLetter.TOPIC)).isNotBlank();
    return r.header(DeadLetter.REASON);
  }

  /** The first {@code count} EmbeddingsReady events of a model, full passes or increments. */
  private static List<EmbeddingsReady> ready(String modelId, boolean increment, int count) {
    try (TopicProbe probe = TopicProbe.fromBeginning(bootstrap(), Topic.EMBEDDINGS.topicName())) {
      List<ReceivedRecord> records =
          probe.await(
              r -> modelId.equals(r.key()) && parse(r).getIncrement() == increment, count, WAIT);
      return records.stream().map(EmbedServiceTest::parse).toList();
    }
  }

  private static EmbeddingsReady parse(ReceivedRecord r) {
    try {
      return EmbeddingsReady.parseFrom(r.value());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Rows of a stored matrix by image id, read back from S3. */
  private static Map<String, float[]> rows(String idsKey, io.alfer.proto.v1.MatrixRef ref) {
    List<String> ids = IdList.fromBytes(store().get(idsKey));
    Matrix m = Matrix.fromBytes(store().get(ref.getObject().getKey()));
    assertThat(m.rows()).isEqualTo(ids.size()).isEqualTo(ref.getRows());
    assertThat(m.cols()).isEqualTo(ref.getCols());
    List<Integer> index = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      index.add(i);
    }
    return index.stream().collect(Collectors.toMap(ids::get, m::row, (x, y) -> x));
  }

  private static List<String> ids(List<Face> faces) {
    return faces.stream().map(Face::id).toList();
  }

  private static void assertClose(float[] actual, float[] expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int k = 0; k < expected.length; k++) {
      assertThat(actual[k]).as("dimension %d", k).isCloseTo(expected[k], within(1e-4f));
    }
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
