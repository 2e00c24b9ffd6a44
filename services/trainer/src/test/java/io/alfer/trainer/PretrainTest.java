package io.alfer.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.nullValue;

import io.alfer.core.api.TrainingJobRequest;
import io.alfer.core.messaging.Topic;
import io.alfer.core.storage.Hashes;
import io.alfer.core.storage.ObjectStore;
import io.alfer.ml.checkpoint.Checkpoint;
import io.alfer.ml.checkpoint.ModelKind;
import io.alfer.ml.checkpoint.ModelStore;
import io.alfer.ml.eval.KnnAccuracy;
import io.alfer.ml.eval.LinearProbeAccuracy;
import io.alfer.ml.model.EncoderModel;
import io.alfer.proto.onnx.ModelProto;
import io.alfer.proto.v1.EpochSummary;
import io.alfer.proto.v1.JobState;
import io.alfer.proto.v1.ModelPublished;
import io.alfer.proto.v1.TrainingProgress;
import io.alfer.proto.v1.TrainingRequest;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.RawProducer;
import io.alfer.testkit.ReceivedRecord;
import io.alfer.testkit.S3TestResource;
import io.alfer.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A pre-training request from the real broker to a model on alfer.models and in S3. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class PretrainTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  private float knnAfterLastEpoch;
  private float linearAfterLastEpoch;

  @Test
  void requestFromTheBrokerEndsAsAnnouncedEncoderWithOnnxInS3() throws Exception {
    Fixtures.Dataset dataset = Fixtures.dataset("pre-a", 32, 45);
    String bootstrap = KafkaTestResource.bootstrapServers();
    TrainingRequest request = Fixtures.pretrain("pre-a-job", "pre-a", 2);
    try (TopicProbe models = TopicProbe.fromNow(bootstrap, Topic.MODELS.topicName());
        TopicProbe progress = TopicProbe.fromNow(bootstrap, Topic.TRAINING_PROGRESS.topicName());
        RawProducer producer = new RawProducer(bootstrap)) {
      producer.send(Topic.TRAINING_REQUESTS.topicName(), "pre-a-job", request.toByteArray());

      ModelPublished model =
          Records.model(models.await(r -> r.key().equals("pre-a-job"), 1, TIMEOUT).get(0));
      assertThat(model.getKind()).isEqualTo(io.alfer.proto.v1.ModelKind.MODEL_KIND_ENCODER);
      assertThat(model.getJobId()).isEqualTo("pre-a-job");
      assertThat(model.getDataset()).isEqualTo("pre-a");
      assertThat(model.getPreset()).isEqualTo("tiny");
      assertThat(model.getEmbeddingDim()).isEqualTo(64);
      assertThat(model.getInputWidth()).isEqualTo(16);
      assertThat(model.getTrainLoss()).isPositive().isFinite();
      assertThat(model.getOrigin().getService()).isEqualTo("trainer");

      ObjectStore s3 = S3TestResource.objectStore();
      byte[] onnxBytes = s3.get(model.getOnnx().getKey());
      assertThat(model.getOnnx().getKey()).isEqualTo("models/pre-a-job/encoder.onnx");
      assertThat(Hashes.sha256Hex(onnxBytes)).isEqualTo(model.getOnnx().getSha256());
      ModelProto onnx = ModelProto.parseFrom(onnxBytes);
      assertThat(onnx.getGraph().getOutputList())
          .extracting(o -> o.getName())
          .containsExactly("embedding");
      byte[] archive = s3.get(model.getCheckpoint().getKey());
      assertThat(archive).hasSize((int) model.getCheckpoint().getSizeBytes());
      Checkpoint checkpoint = Checkpoint.fromBytes(archive);
      assertThat(checkpoint.metadata().kind()).isEqualTo(ModelKind.ENCODER);
      assertThat(checkpoint.metadata().provenance().dataset()).isEqualTo("pre-a");
      assertThat(ModelStore.on(s3).exists("pre-a-job")).isTrue();
      progress.await(r -> r.key().equals("pre-a-job") && succeeded(r), 1, TIMEOUT);
      // the epoch checkpoint is dropped once the model supersedes it (before the job reports
      // success; the model's announcement comes earlier, so checking right after it would race)
      assertThat(s3.exists("jobs/pre-a-job/resume.bin")).isFalse();
      List<TrainingProgress> events =
          progress.received().stream()
              .filter(r -> r.key().equals("pre-a-job"))
              .map(Records::progress)
              .toList();
      assertThat(events.get(0).getState()).isEqualTo(JobState.JOB_STATE_QUEUED);
      assertThat(events.get(events.size() - 1).getModelId()).isEqualTo("pre-a-job");
      assertThat(events)
          .filteredOn(e -> e.getState() == JobState.JOB_STATE_RUNNING && e.getEpoch() == 2)
          .isNotEmpty()
          .allSatisfy(
              e -> {
                assertThat(e.getEpochs()).isEqualTo(2);
                assertThat(e.getSteps()).isEqualTo(4);
                assertThat(e.getImagesPerSecond()).isPositive();
                assertThat(e.getLoss()).isPositive();
              });
      // every epoch's loss and representation quality on the labelled test split travel with the
      // events
      assertThat(events)
          .filteredOn(TrainingProgress::hasLastEpoch)
          .extracting(e -> e.getLastEpoch().getEpoch())
          .contains(1, 2)
          .isSorted();
      EpochSummary last = events.get(events.size() - 1).getLastEpoch();
      assertThat(last.getEpoch()).isEqualTo(2);
      assertThat(last.getLoss()).isPositive();
      assertThat(last.hasKnnAccuracy()).isTrue();
      assertThat(last.hasLinearProbeAccuracy()).isTrue();
      // the figures are what they say: the stored encoder's leave-one-out 20-NN accuracy and 5-fold
      // ridge-probe accuracy on the 45 labelled test images, well above chance (1/3) on these
      // easy classes
      try (EncoderModel encoder = checkpoint.toEncoder()) {
        float[][] embeddings = encoder.embed(dataset.test(), 16);
        int[] labels = dataset.test().labels();
        assertThat(last.getKnnAccuracy())
            .isEqualTo(KnnAccuracy.leaveOneOut(embeddings, labels, KnnAccuracy.DEFAULT_K))
            .isGreaterThan(0.5);
        assertThat(last.getLinearProbeAccuracy())
            .isEqualTo(
                LinearProbeAccuracy.crossValidated(
                    embeddings,
                    labels,
                    LinearProbeAccuracy.DEFAULT_FOLDS,
                    LinearProbeAccuracy.DEFAULT_RIDGE))
            .isGreaterThan(0.5);
      }
      assertThat(checkpoint.metadata().provenance().metrics())
          .containsEntry("knn_accuracy", last.getKnnAccuracy())
          .containsEntry("linear_probe_accuracy", last.getLinearProbeAccuracy())
          .containsEntry("quality_images", 45.0);
      knnAfterLastEpoch = (float) last.getKnnAccuracy();
      linearAfterLastEpoch = (float) last.getLinearProbeAccuracy();
    }

    given()
        .when()
        .get("/jobs/pre-a-job")
        .then()
        .statusCode(200)
        .body("state", equalTo("succeeded"))
        .body("modelId", equalTo("pre-a-job"))
        .body("kind", equalTo("pretrain"))
        .body("attempts", equalTo(1))
        .body("completedEpochs", equalTo(2))
        .body("history.epoch", contains(1, 2))
        .body("history.loss", everyItem(greaterThan(0f)))
        .body("history.knnAccuracy", everyItem(both(greaterThanOrEqualTo(0f)).and(lessThan(1.01f))))
        .body(
            "history.linearProbeAccuracy",
            everyItem(both(greaterThanOrEqualTo(0f)).and(lessThan(1.01f))))
        .body("history[1].knnAccuracy", equalTo(knnAfterLastEpoch))
        .body("knnAccuracy", equalTo(knnAfterLastEpoch))
        .body("history[1].linearProbeAccuracy", equalTo(linearAfterLastEpoch))
        .body("linearProbeAccuracy", equalTo(linearAfterLastEpoch));
  }

  @Test
  void withoutLabelledTestImagesEpochsReportTheirLossAlone() throws Exception {
    Fixtures.dataset("pre-c", 16, 0);
    String bootstrap = KafkaTestResource.bootstrapServers();
    try (TopicProbe progress = TopicProbe.fromNow(bootstrap, Topic.TRAINING_PROGRESS.topicName());
        RawProducer producer = new RawProducer(bootstrap)) {
      producer.send(
          Topic.TRAINING_REQUESTS.topicName(),
          "pre-c-job",
          Fixtures.pretrain("pre-c-job", "pre-c", 1).toByteArray());
      TrainingProgress done =
          Records.progress(
              progress.await(r -> r.key().equals("pre-c-job") && succeeded(r), 1, TIMEOUT).get(0));
      assertThat(done.getLastEpoch().getEpoch()).isEqualTo(1);
      assertThat(done.getLastEpoch().getLoss()).isPositive();
      assertThat(done.getLastEpoch().hasKnnAccuracy()).isFalse();
      assertThat(done.getLastEpoch().hasLinearProbeAccuracy()).isFalse();
    }
    given()
        .when()
        .get("/jobs/pre-c-job")
        .then()
        .statusCode(200)
        .body("state", equalTo("succeeded"))
        .body("history.epoch", contains(1))
        .body("history[0].knnAccuracy", nullValue())
        .body("history[0].linearProbeAccuracy", nullValue())
        .body("knnAccuracy", nullValue())
        .body("linearProbeAccuracy", nullValue());
  }

  @Test
  void aFinishedJobIsNeverRunTwice() throws Exception {
    Fixtures.dataset("pre-b", 16, 3);
    String bootstrap = KafkaTestResource.bootstrapServers();
    TrainingRequest request = Fixtures.pretrain("pre-b-job", "pre-b", 1);
    try (TopicProbe models = TopicProbe.fromNow(bootstrap, Topic.MODELS.topicName());
        TopicProbe dlq = TopicProbe.fromNow(bootstrap, Topic.TRAINING_REQUESTS.dlqName());
        RawProducer producer = new RawProducer(bootstrap)) {
      producer.send(Topic.TRAINING_REQUESTS.topicName(), "pre-b-job", request.toByteArray());
      models.await(r -> r.key().equals("pre-b-job"), 1, TIMEOUT);

      // at-least-once delivery: the same request again, over Kafka and over REST
      producer.send(Topic.TRAINING_REQUESTS.topicName(), "pre-b-job", request.toByteArray());
      given()
          .contentType("application/json")
          .body(TrainingJobRequest.of(request))
          .when()
          .post("/jobs")
          .then()
          .statusCode(200)
          .body("state", equalTo("succeeded"))
          .body("attempts", equalTo(1));
      // the same id with another request is refused; same key, same partition: it is consumed
      // after the duplicate, so once it is dead-lettered the duplicate has been handled
      TrainingRequest reused = Fixtures.pretrain("pre-b-job", "pre-b", 3);
      producer.send(Topic.TRAINING_REQUESTS.topicName(), "pre-b-job", reused.toByteArray());
      ReceivedRecord dead = dlq.await(r -> "pre-b-job".equals(r.key()), 1, TIMEOUT).get(0);
      assertThat(dead.headers().get("dead-letter-reason")).startsWith("job_id_reused");
      assertThat(dead.value()).isEqualTo(reused.toByteArray());
    }
    // a rerun would have queued the job again
    given()
        .when()
        .get("/jobs/pre-b-job")
        .then()
        .statusCode(200)
        .body("state", equalTo("succeeded"))
        .body("attempts", equalTo(1));
  }

  private static boolean succeeded(ReceivedRecord r) {
    return Records.progress(r).getState() == JobState.JOB_STATE_SUCCEEDED;
  }
}
