package io.alfer.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;

import io.alfer.core.api.TrainingJobRequest;
import io.alfer.core.messaging.Topic;
import io.alfer.ml.checkpoint.Checkpoint;
import io.alfer.ml.finetune.Evaluation;
import io.alfer.ml.finetune.Evaluator;
import io.alfer.ml.model.ClassifierModel;
import io.alfer.proto.onnx.ModelProto;
import io.alfer.proto.v1.FinetuneJob;
import io.alfer.proto.v1.ModelKind;
import io.alfer.proto.v1.ModelPublished;
import io.alfer.proto.v1.TrainingRequest;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.RawProducer;
import io.alfer.testkit.S3TestResource;
import io.alfer.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The fine-tune path: labelled ids in, a classifier evaluated on the test split out. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class FinetuneTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @Test
  void roundOnAPretrainedEncoderPublishesAClassifierWithItsTestAccuracy() throws Exception {
    Fixtures.Dataset dataset = Fixtures.dataset("ft-a", 24, 12);
    String bootstrap = KafkaTestResource.bootstrapServers();
    try (TopicProbe models = TopicProbe.fromNow(bootstrap, Topic.MODELS.topicName());
        RawProducer producer = new RawProducer(bootstrap)) {
      // the encoder, asked for over REST
      given()
          .contentType("application/json")
          .body(TrainingJobRequest.of(Fixtures.pretrain("ft-a-encoder", "ft-a", 1)))
          .when()
          .post("/jobs")
          .then()
          .statusCode(202)
          .header("Location", org.hamcrest.Matchers.endsWith("/jobs/ft-a-encoder"))
          .body("state", equalTo("queued"));
      models.await(r -> r.key().equals("ft-a-encoder"), 1, TIMEOUT);

      // round 0 of a campaign, asked for over Kafka
      TrainingRequest round =
          TrainingRequest.newBuilder()
              .setJobId("ft-a-round-0")
              .setFinetune(
                  FinetuneJob.newBuilder()
                      .setCampaignId("camp-1")
                      .setRound(0)
                      .setDataset("ft-a")
                      .addAllLabelled(dataset.labelled(12))
                      .setBaseModelId("ft-a-encoder")
                      .setPreset("cpu-fast")
                      .setMaxEpochs(15)
                      .setSeed(5))
              .build();
      producer.send(Topic.TRAINING_REQUESTS.topicName(), "ft-a-round-0", round.toByteArray());
      ModelPublished model =
          Records.model(models.await(r -> r.key().equals("ft-a-round-0"), 1, TIMEOUT).get(0));

      assertThat(model.getKind()).isEqualTo(ModelKind.MODEL_KIND_CLASSIFIER);
      assertThat(model.getCampaignId()).isEqualTo("camp-1");
      assertThat(model.getRound()).isZero();
      assertThat(model.getBaseModelId()).isEqualTo("ft-a-encoder");
      assertThat(model.getTaxonomy().getClassesList()).isEqualTo(Fixtures.CLASSES);
      assertThat(model.getPerClassAccuracyCount()).isEqualTo(3);
      assertThat(model.getTestAccuracy()).isBetween(0.0, 1.0);

      // the accuracy is the stored classifier's on the dataset's test split
      byte[] archive = S3TestResource.objectStore().get(model.getCheckpoint().getKey());
      try (ClassifierModel classifier = Checkpoint.fromBytes(archive).toClassifier()) {
        Evaluation evaluation = Evaluator.evaluate(classifier, dataset.test(), 64);
        assertThat(model.getTestAccuracy()).isCloseTo(evaluation.top1(), within(1e-9));
        assertThat(model.getPerClassAccuracy(1))
            .isCloseTo(evaluation.perClassAccuracy()[1], within(1e-9));
        // the head is announced and is the classifier's
        Heads.assertMatches(model.getHead(), classifier, dataset.test());
        // the evaluation, confusion matrix included, is stored beside the model
        com.fasterxml.jackson.databind.JsonNode stored =
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(S3TestResource.objectStore().get("models/ft-a-round-0/evaluation.json"));
        assertThat(stored.path("testAccuracy").asDouble())
            .isCloseTo(model.getTestAccuracy(), within(1e-9));
        assertThat(stored.path("classes").size()).isEqualTo(Fixtures.CLASSES.size());
        for (int t = 0; t < Fixtures.CLASSES.size(); t++) {
          for (int p = 0; p < Fixtures.CLASSES.size(); p++) {
            assertThat(stored.path("confusion").get(t).get(p).asInt())
                .as("confusion[%d][%d]", t, p)
                .isEqualTo(evaluation.confusion()[t][p]);
          }
        }
      }
      // no DeepFool sizes unless asked for
      assertThat(model.hasPerturbations()).isFalse();
      assertThat(model.hasPerturbationIds()).isFalse();
      assertThat(S3TestResource.objectStore().listKeys("models/ft-a-round-0/"))
          .contains("models/ft-a-round-0/head.f32")
          .noneMatch(key -> key.contains("perturbation"));
      ModelProto onnx =
          ModelProto.parseFrom(S3TestResource.objectStore().get(model.getOnnx().getKey()));
      assertThat(onnx.getGraph().getOutputList())
          .extracting(o -> o.getName())
          .containsExactly("embedding", "logits");
    }
  }

  @Test
  void roundFromScratchNeedsNoEncoder() throws Exception {
    Fixtures.Dataset dataset = Fixtures.dataset("ft-b", 12, 6);
    TrainingRequest round =
        TrainingRequest.newBuilder()
            .setJobId("ft-b-scratch")
            .setFinetune(
                FinetuneJob.newBuilder()
                    .setCampaignId("camp-2")
                    .setRound(1)
                    .setDataset("ft-b")
                    .addAllLabelled(dataset.labelled(9))
                    .setEncoderPreset("tiny")
                    .setMaxEpochs(3)
                    .setSeed(2))
            .build();
    try (TopicProbe models =
        TopicProbe.fromNow(KafkaTestResource.bootstrapServers(), Topic.MODELS.topicName())) {
      given()
          .contentType("application/json")
          .body(TrainingJobRequest.of(round))
          .when()
          .post("/jobs")
          .then()
          .statusCode(202);
      ModelPublished model =
          Records.model(models.await(r -> r.key().equals("ft-b-scratch"), 1, TIMEOUT).get(0));
      assertThat(model.getBaseModelId()).isEmpty();
      assertThat(model.getPreset()).isEqualTo("tiny");
      assertThat(model.getRound()).isEqualTo(1);
    }
    given()
        .when()
        .get("/jobs/ft-b-scratch")
        .then()
        .statusCode(200)
        .body("kind", equalTo("finetune"))
        .body("state", equalTo("succeeded"));
  }
}
