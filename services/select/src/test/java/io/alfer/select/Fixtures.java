package io.alfer.select;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.InvalidProtocolBufferException;
import io.alfer.core.messaging.Topic;
import io.alfer.core.storage.IdList;
import io.alfer.core.storage.Matrix;
import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.StorageLayout;
import io.alfer.proto.v1.CampaignEvent;
import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.EmbeddingsReady;
import io.alfer.proto.v1.ImageIngested;
import io.alfer.proto.v1.JobState;
import io.alfer.proto.v1.LabelAssigned;
import io.alfer.proto.v1.LabelOutcome;
import io.alfer.proto.v1.MatrixRef;
import io.alfer.proto.v1.ModelKind;
import io.alfer.proto.v1.ModelPublished;
import io.alfer.proto.v1.ObjectRef;
import io.alfer.proto.v1.SelectionMade;
import io.alfer.proto.v1.Split;
import io.alfer.proto.v1.Taxonomy;
import io.alfer.proto.v1.TrainingProgress;
import io.alfer.proto.v1.TrainingRequest;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.ReceivedRecord;
import io.alfer.testkit.S3TestResource;
import io.alfer.testkit.TopicProbe;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The other services, played by the tests: what ingest, the trainer, the embed service and the
 * label service would publish (with their matrices in S3), and readers of what select publishes.
 */
final class Fixtures {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final List<String> CLASSES = List.of("calm", "happy", "sad");
  static final int DIM = 4;

  private Fixtures() {}

  static String bootstrap() {
    return KafkaTestResource.bootstrapServers();
  }

  static ObjectStore store() {
    return S3TestResource.objectStore();
  }

  private static KafkaProducer<String, byte[]> producer;

  /** One producer for every test of the JVM (closed with it). */
  private static synchronized KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
      producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }
    return producer;
  }

  /** Writes records in order and returns once the broker has acknowledged all of them. */
  static void sendAll(List<ProducerRecord<String, byte[]>> records) {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (ProducerRecord<String, byte[]> r : records) {
      sent.add(producer().send(r));
    }
    producer().flush();
    try {
      for (Future<RecordMetadata> f : sent) {
        f.get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new AssertionError("cannot write the fixtures: " + e.getMessage(), e);
    }
  }

  static void send(String topic, String key, byte[] value) {
    sendAll(List.of(new ProducerRecord<>(topic, key, value)));
  }

  /** The ground truth of a fixture image: its number modulo the class count. */
  static int truth(String imageId) {
    return Integer.parseInt(imageId.substring(imageId.lastIndexOf('-') + 2)) % CLASSES.size();
  }

  /** The pool ids {@link #dataset} makes, ascending. */
  static List<String> poolIds(String dataset, int pool) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < pool; i++) {
      ids.add(dataset + "-p" + String.format("%03d", i));
    }
    return ids;
  }

  /**
   * Defines a dataset and announces {@code pool} pool images and {@code test} labelled test images,
   * as ingest would; returns the pool ids, ascending.
   */
  static List<String> dataset(String dataset, int pool, int test) {
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    records.add(
        new ProducerRecord<>(
            Topic.DATASETS.topicName(),
            dataset,
            DatasetDefined.newBuilder()
                .setDataset(dataset)
                .setTaxonomy(Taxonomy.newBuilder().addAllClasses(CLASSES))
                .setWidth(48)
                .setHeight(48)
                .setLayout("upload")
                .build()
                .toByteArray()));
    List<String> ids = poolIds(dataset, pool);
    for (String id : ids) {
      records.add(
          new ProducerRecord<>(
              Topic.IMAGES.topicName(), id, image(dataset, id, Split.SPLIT_POOL).toByteArray()));
    }
    for (int i = 0; i < test; i++) {
      String id = dataset + "-t" + String.format("%03d", i);
      records.add(
          new ProducerRecord<>(
              Topic.IMAGES.topicName(), id, image(dataset, id, Split.SPLIT_TEST).toByteArray()));
    }
    sendAll(records);
    return ids;
  }

  static ImageIngested image(String dataset, String id, Split split) {
    return ImageIngested.newBuilder()
        .setImageId(id)
        .setDataset(dataset)
        .setSplit(split)
        .setLabel(truth(id))
        .setCanonical(
            ObjectRef.newBuilder()
                .setBucket("alfer")
                .setKey(StorageLayout.canonicalImage(dataset, id)))
        .setWidth(48)
        .setHeight(48)
        .build();
  }

  /** The label service's reconciled labels for images of a campaign round (ground truth). */
  static void labels(String campaign, int round, String dataset, Collection<String> ids) {
    outcomes(
        campaign,
        round,
        dataset,
        ids,
        (id, b) ->
            b.setLabel(truth(id))
                .setLabelName(CLASSES.get(truth(id)))
                .setAgreement(1)
                .setAnnotations(1)
                .setMethod("majority"));
  }

  /** The label service's outcome for images of a round no vendor answered. */
  static void unanswered(String campaign, int round, String dataset, Collection<String> ids) {
    outcomes(
        campaign,
        round,
        dataset,
        ids,
        (id, b) -> b.setLabel(-1).setOutcome(LabelOutcome.LABEL_OUTCOME_UNANSWERED));
  }

  private static void outcomes(
      String campaign,
      int round,
      String dataset,
      Collection<String> ids,
      BiConsumer<String, LabelAssigned.Builder> outcome) {
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    for (String id : ids) {
      LabelAssigned.Builder b =
          LabelAssigned.newBuilder()
              .setCampaignId(campaign)
              .setRound(round)
              .setDataset(dataset)
              .setImageId(id);
      outcome.accept(id, b);
      records.add(
          new ProducerRecord<>(
              Topic.LABELS.topicName(), campaign + "/" + id, b.build().toByteArray()));
    }
    sendAll(records);
  }

  /** A pre-trained encoder on alfer.models, as the trainer announces it. */
  static void encoder(String modelId, String dataset) {
    ModelPublished m =
        ModelPublished.newBuilder()
            .setModelId(modelId)
            .setKind(ModelKind.MODEL_KIND_ENCODER)
            .setDataset(dataset)
            .setJobId(modelId)
            .setPreset("tiny")
            .setEmbeddingDim(DIM)
            .build();
    send(Topic.MODELS.topicName(), modelId, m.toByteArray());
  }

  /**
   * A round's classifier on alfer.models, as the trainer announces it: its head (c x (d+1)) in S3
   * and, when {@code perturbations} is given, DeepFool sizes for those images.
   */
  static ModelPublished classifier(
      String campaign,
      int round,
      String dataset,
      double accuracy,
      Map<String, Float> perturbations) {
    String modelId = campaign + "-r" + round;
    String prefix = StorageLayout.modelPrefix(modelId);
    SplittableRandom random = new SplittableRandom(modelId.hashCode());
    float[] head = new float[CLASSES.size() * (DIM + 1)];
    for (int i = 0; i < head.length; i++) {
      head[i] = (float) (random.nextDouble() * 2 - 1);
    }
    ModelPublished.Builder m =
        ModelPublished.newBuilder()
            .setModelId(modelId)
            .setKind(ModelKind.MODEL_KIND_CLASSIFIER)
            .setDataset(dataset)
            .setJobId(modelId)
            .setCampaignId(campaign)
            .setRound(round)
            .setPreset("tiny")
            .setEmbeddingDim(DIM)
            .setTaxonomy(Taxonomy.newBuilder().addAllClasses(CLASSES))
            .setTestAccuracy(accuracy)
            .addPerClassAccuracy(accuracy - 0.1)
            .addPerClassAccuracy(accuracy)
            .addPerClassAccuracy(accuracy + 0.1)
            .setHead(matrix(prefix + "head.f32", new Matrix(CLASSES.size(), DIM + 1, head)));
    if (perturbations != null) {
      List<String> ids = new ArrayList<>(perturbations.keySet());
      float[] sizes = new float[ids.size()];
      for (int i = 0; i < ids.size(); i++) {
        sizes[i] = perturbations.get(ids.get(i));
      }
      m.setPerturbations(matrix(prefix + "deepfool.f32", new Matrix(ids.size(), 1, sizes)));
      m.setPerturbationIds(
          store().put(prefix + "deepfool-ids.txt", IdList.toBytes(ids), IdList.CONTENT_TYPE));
    }
    ModelPublished model = m.build();
    send(Topic.MODELS.topicName(), modelId, model.toByteArray());
    return model;
  }

  /** The trainer's progress of a job. */
  static void progress(String jobId, JobState state, String message) {
    send(
        Topic.TRAINING_PROGRESS.topicName(),
        jobId,
        TrainingProgress.newBuilder()
            .setJobId(jobId)
            .setState(state)
            .setMessage(message)
            .build()
            .toByteArray());
  }

  /** Deterministic embedding of an image under a model. */
  static float[] embedding(String modelId, String imageId) {
    SplittableRandom random = new SplittableRandom((modelId + "|" + imageId).hashCode());
    float[] e = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      e[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return e;
  }

  /** Deterministic class probabilities of an image under a model (sum to 1). */
  static float[] probabilities(String modelId, String imageId) {
    SplittableRandom random = new SplittableRandom((imageId + "#" + modelId).hashCode());
    double[] logits = new double[CLASSES.size()];
    double sum = 0;
    for (int k = 0; k < logits.length; k++) {
      logits[k] = Math.exp(random.nextDouble() * 4 - 2);
      sum += logits[k];
    }
    float[] p = new float[logits.length];
    for (int k = 0; k < p.length; k++) {
      p[k] = (float) (logits[k] / sum);
    }
    return p;
  }

  /**
   * The embed service's output for a model over (part of) the pool: ids, embeddings and, for
   * classifiers, probabilities in S3, announced on alfer.embeddings.
   */
  static EmbeddingsReady embeddings(
      String modelId, String dataset, List<String> ids, boolean classifier, boolean increment) {
    String prefix =
        StorageLayout.embeddingsPrefix(modelId, dataset, "pool")
            + (increment ? "increments/p0-" + ids.size() + "/" : "");
    float[] e = new float[ids.size() * DIM];
    float[] p = new float[ids.size() * CLASSES.size()];
    for (int i = 0; i < ids.size(); i++) {
      System.arraycopy(embedding(modelId, ids.get(i)), 0, e, i * DIM, DIM);
      System.arraycopy(
          probabilities(modelId, ids.get(i)), 0, p, i * CLASSES.size(), CLASSES.size());
    }
    EmbeddingsReady.Builder b =
        EmbeddingsReady.newBuilder()
            .setModelId(modelId)
            .setDataset(dataset)
            .setSplit(Split.SPLIT_POOL)
            .setEmbeddings(matrix(prefix + "embeddings.f32", new Matrix(ids.size(), DIM, e)))
            .setCount(ids.size())
            .setProvider("cpu")
            .setIncrement(increment);
    if (classifier) {
      b.setProbabilities(
          matrix(prefix + "probabilities.f32", new Matrix(ids.size(), CLASSES.size(), p)));
    }
    b.setIds(store().put(prefix + "ids.txt", IdList.toBytes(ids), IdList.CONTENT_TYPE));
    EmbeddingsReady ready = b.build();
    send(Topic.EMBEDDINGS.topicName(), modelId, ready.toByteArray());
    return ready;
  }

  static MatrixRef matrix(String key, Matrix m) {
    return MatrixRef.newBuilder()
        .setObject(store().put(key, m.toBytes(), Matrix.CONTENT_TYPE))
        .setRows(m.rows())
        .setCols(m.cols())
        .build();
  }

  // --- reading what select publishes ----------------------------------------------------------

  static SelectionMade selection(ReceivedRecord r) {
    return parse(r, SelectionMade::parseFrom);
  }

  static TrainingRequest request(ReceivedRecord r) {
    return parse(r, TrainingRequest::parseFrom);
  }

  static CampaignEvent event(ReceivedRecord r) {
    return parse(r, CampaignEvent::parseFrom);
  }

  interface Parser<T> {
    T parse(byte[] bytes) throws InvalidProtocolBufferException;
  }

  static <T> T parse(ReceivedRecord r, Parser<T> parser) {
    try {
      return parser.parse(r.value());
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("not decodable: " + r, e);
    }
  }

  /** Waits for the selection of a campaign round on the probe (alfer.selections). */
  static SelectionMade awaitSelection(TopicProbe probe, String campaign, int round) {
    return selection(
        probe
            .await(r -> r.key().equals(campaign) && selection(r).getRound() == round, 1, WAIT)
            .get(0));
  }

  /** Waits for the training request of a job on the probe (alfer.training.requests). */
  static TrainingRequest awaitRequest(TopicProbe probe, String jobId) {
    return request(probe.await(r -> r.key().equals(jobId), 1, WAIT).get(0));
  }

  /** The image ids of a selection, in order. */
  static List<String> ids(SelectionMade s) {
    return s.getImagesList().stream().map(i -> i.getImageId()).toList();
  }

  /** Every event of a campaign on alfer.campaigns so far, in sequence order. */
  static List<CampaignEvent> events(String campaign, int atLeast) {
    List<CampaignEvent> out = new ArrayList<>();
    try (TopicProbe probe = TopicProbe.fromBeginning(bootstrap(), Topic.CAMPAIGNS.topicName())) {
      probe.await(r -> r.key().startsWith(campaign + "/"), atLeast, WAIT).size();
      probe.received().stream()
          .filter(r -> r.key().startsWith(campaign + "/"))
          .map(Fixtures::event)
          .forEach(out::add);
    }
    out.sort(java.util.Comparator.comparingLong(CampaignEvent::getSequence));
    return out;
  }

  /** GET /campaigns/{id}. */
  static JsonPath view(String campaign) {
    return viewOf(viewBody(campaign));
  }

  private static String viewBody(String campaign) {
    return given().when().get("/campaigns/" + campaign).then().statusCode(200).extract().asString();
  }

  private static JsonPath viewOf(String body) {
    return new JsonPath(body).using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
  }

  /**
   * Waits until the campaign's view satisfies {@code condition}; returns that view. A timeout names
   * {@code what} and shows the last view.
   */
  static JsonPath awaitView(String campaign, String what, Function<JsonPath, Boolean> condition) {
    return viewOf(
        await(campaign + ": " + what)
            .atMost(WAIT)
            .until(() -> viewBody(campaign), body -> condition.apply(viewOf(body))));
  }

  /** Waits until the service has read the dataset's pool (a refused request says its size). */
  static void awaitPool(String dataset, int size) {
    String request = "{\"dataset\":\"%s\",\"strategy\":\"random\",\"initialSize\":%d,\"rounds\":0}";
    await("pool of " + dataset + " read")
        .atMost(WAIT)
        .until(
            () -> refused(request.formatted(dataset, size + 1)).getString("message"),
            message -> message.endsWith("has " + size));
  }

  /** Waits until the service has read a model (a request refused after the model check). */
  static void awaitModel(String modelId, String dataset) {
    String request =
        "{\"dataset\":\"%s\",\"strategy\":\"random\",\"initialSize\":2,"
            + "\"rounds\":-1,\"baseModelId\":\"%s\"}";
    await("model " + modelId + " read")
        .atMost(WAIT)
        .until(
            () -> refused(request.formatted(dataset, modelId)).getString("error"),
            error -> error.matches("invalid_rounds|base_model_mismatch"));
  }

  /** POST /campaigns with a request the service refuses (400); the refusal. */
  private static JsonPath refused(String request) {
    return given()
        .contentType(ContentType.JSON)
        .body(request)
        .when()
        .post("/campaigns")
        .then()
        .statusCode(400)
        .extract()
        .jsonPath();
  }
}
