package io.alfer.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.alfer.core.api.TrainingJobRequest;
import io.alfer.core.messaging.Topic;
import io.alfer.proto.v1.FinetuneJob;
import io.alfer.proto.v1.JobState;
import io.alfer.proto.v1.LabelledImage;
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
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests that cannot be run are refused with a reason: in the REST answer, on the progress topic
 * and, from Kafka, on the dead-letter topic; the consumer goes on.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class BadRequestTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static Fixtures.Dataset dataset;

  @BeforeAll
  static void dataset() {
    dataset = Fixtures.dataset("bad-a", 10, 4);
  }

  @Test
  void impossiblePretrainingsAreRefusedWithTheirReason() throws Exception {
    refused(Fixtures.pretrain("bad-1", "no-such-dataset", 1), "unknown_dataset", "no-such-dataset");
    refused(pretrain("bad-2", b -> b.setBatchSize(64)), "impossible_size", "exceeds the 10 pool");
    refused(pretrain("bad-3", b -> b.setBatchSize(1)), "impossible_size", "batch_size");
    refused(pretrain("bad-4", b -> b.setTemperature(-1)), "invalid_hyperparameter", "temperature");
    refused(pretrain("bad-5", b -> b.setEpochs(-3)), "invalid_hyperparameter", "epochs");
    refused(pretrain("bad-6", b -> b.setLearningRate(Float.NaN)), "invalid_hyperparameter", "rate");
    refused(pretrain("bad-7", b -> b.setWarmupEpochs(1)), "invalid_hyperparameter", "warmup");
    refused(pretrain("bad-8", b -> b.setPreset("huge")), "unknown_preset", "huge");
    refused(Fixtures.pretrain("../escape", "bad-a", 1), "invalid_job_id", "must match");
    refused(TrainingRequest.newBuilder().setJobId("bad-9").build(), "missing_job", "neither");
  }

  @Test
  void impossibleFineTuningsAreRefusedWithTheirReason() throws Exception {
    refused(finetune("bad-ft-1", b -> b.clearLabelled()), "empty_labelled_set", "empty");
    refused(
        finetune("bad-ft-2", b -> b.setLabelled(0, b.getLabelled(0).toBuilder().setLabel(3))),
        "label_outside_taxonomy",
        "has label 3");
    refused(
        finetune(
            "bad-ft-3",
            b -> b.addLabelled(LabelledImage.newBuilder().setImageId("nope").setLabel(0))),
        "unknown_image",
        "nope");
    refused(
        finetune(
            "bad-ft-4",
            b ->
                b.addLabelled(
                    LabelledImage.newBuilder()
                        .setImageId(dataset.test().ids().get(0))
                        .setLabel(0))),
        "not_in_pool",
        "test split");
    refused(
        finetune("bad-ft-5", b -> b.setBaseModelId("no-such-model")),
        "unknown_base_model",
        "no-such-model");
    refused(finetune("bad-ft-6", b -> b.setPreset("slow")), "unknown_preset", "slow");
    refused(finetune("bad-ft-7", b -> b.setCampaignId("")), "missing_campaign", "campaign_id");
    refused(
        finetune("bad-ft-8", b -> b.setDeepfool(true).setDeepfoolCandidates(-5)),
        "invalid_hyperparameter",
        "deepfool_candidates must be >= 0");
    refused(
        finetune("bad-ft-9", b -> b.setDeepfoolCandidates(10)),
        "invalid_hyperparameter",
        "deepfool is not set");
  }

  @Test
  void malformedBodiesAndUnknownJobsAreAnswered() {
    given()
        .contentType("application/json")
        .body("{\"jobId\": \"x\", \"pretrain\": {\"epochs\": \"many\"}}")
        .when()
        .post("/jobs")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_json"));
    given()
        .contentType("application/json")
        .body("{\"jobId\": \"x\", \"pretrian\": {\"dataset\": \"bad-a\"}}")
        .when()
        .post("/jobs")
        .then()
        .statusCode(400)
        .body("error", equalTo("unknown_field"))
        .body("message", containsString("pretrian"));
    given()
        .contentType("application/json")
        .body("{\"pretrain\": {\"dataset\": \"bad-a\"}, \"finetune\": {\"dataset\": \"bad-a\"}}")
        .when()
        .post("/jobs")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_job"))
        .body("message", containsString("both"));
    given()
        .contentType("application/json")
        .body(
            "{\"finetune\": {\"campaignId\": \"c\", \"dataset\": \"bad-a\", \"labelled\": [{\"imageId\": \"a\"}]}}")
        .when()
        .post("/jobs")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_job"))
        .body("message", containsString("finetune.labelled[0]"));
    given()
        .when()
        .get("/jobs/never-seen")
        .then()
        .statusCode(404)
        .body("error", equalTo("unknown_job"));
    given()
        .when()
        .post("/jobs/never-seen/cancel")
        .then()
        .statusCode(404)
        .body("error", equalTo("unknown_job"));
  }

  @Test
  void badRecordsGoToTheDeadLetterTopicAndTheConsumerGoesOn() throws Exception {
    String bootstrap = KafkaTestResource.bootstrapServers();
    String requests = Topic.TRAINING_REQUESTS.topicName();
    try (TopicProbe dlq = TopicProbe.fromNow(bootstrap, Topic.TRAINING_REQUESTS.dlqName());
        TopicProbe progress = TopicProbe.fromNow(bootstrap, Topic.TRAINING_PROGRESS.topicName());
        TopicProbe models = TopicProbe.fromNow(bootstrap, Topic.MODELS.topicName());
        RawProducer producer = new RawProducer(bootstrap)) {
      producer.send(requests, "bad-k-1", new byte[] {(byte) 0xff, 0x01, 0x02});
      TrainingRequest unknown = Fixtures.pretrain("bad-k-2", "no-such-dataset", 1);
      producer.send(requests, "bad-k-2", unknown.toByteArray());
      TrainingRequest good = Fixtures.pretrain("bad-k-3", "bad-a", 1);
      producer.send(requests, "bad-k-3", good.toByteArray());

      ReceivedRecord garbage = dlq.await(r -> "bad-k-1".equals(r.key()), 1, TIMEOUT).get(0);
      assertThat(garbage.headers().get("dead-letter-reason")).startsWith("undecodable");
      ReceivedRecord refused = dlq.await(r -> "bad-k-2".equals(r.key()), 1, TIMEOUT).get(0);
      assertThat(refused.headers().get("dead-letter-reason"))
          .startsWith("unknown_dataset")
          .contains("no-such-dataset");
      assertThat(refused.value()).isEqualTo(unknown.toByteArray());
      TrainingProgress rejected =
          Records.progress(progress.await(r -> "bad-k-2".equals(r.key()), 1, TIMEOUT).get(0));
      assertThat(rejected.getState()).isEqualTo(JobState.JOB_STATE_REJECTED);
      assertThat(rejected.getMessage()).startsWith("unknown_dataset");

      models.await(r -> "bad-k-3".equals(r.key()), 1, TIMEOUT);
    }
  }

  private static TrainingRequest pretrain(
      String jobId, UnaryOperator<io.alfer.proto.v1.PretrainJob.Builder> change) {
    TrainingRequest base = Fixtures.pretrain(jobId, "bad-a", 1);
    return base.toBuilder().setPretrain(change.apply(base.getPretrain().toBuilder())).build();
  }

  private static TrainingRequest finetune(String jobId, UnaryOperator<FinetuneJob.Builder> change) {
    FinetuneJob.Builder job =
        FinetuneJob.newBuilder()
            .setCampaignId("camp")
            .setDataset("bad-a")
            .addAllLabelled(dataset.labelled(4))
            .setEncoderPreset("tiny");
    return TrainingRequest.newBuilder().setJobId(jobId).setFinetune(change.apply(job)).build();
  }

  /** Posts the request; expects 400 with the reason, and REJECTED on the progress topic. */
  private static void refused(TrainingRequest request, String reason, String detail)
      throws Exception {
    try (TopicProbe progress =
        TopicProbe.fromNow(
            KafkaTestResource.bootstrapServers(), Topic.TRAINING_PROGRESS.topicName())) {
      given()
          .contentType("application/json")
          .body(TrainingJobRequest.of(request))
          .when()
          .post("/jobs")
          .then()
          .statusCode(400)
          .body("error", equalTo(reason))
          .body("message", containsString(detail));
      List<ReceivedRecord> events =
          progress.await(r -> request.getJobId().equals(r.key()), 1, TIMEOUT);
      TrainingProgress event = Records.progress(events.get(0));
      assertThat(event.getState()).isEqualTo(JobState.JOB_STATE_REJECTED);
      assertThat(event.getMessage()).startsWith(reason);
    }
    if (!request.getJobId().contains("/")) {
      given().when().get("/jobs/" + request.getJobId()).then().statusCode(404);
    }
  }
}
