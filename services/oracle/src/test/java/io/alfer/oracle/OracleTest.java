package io.alfer.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.google.protobuf.util.JsonFormat;
import io.alfer.core.messaging.CloudEvents;
import io.alfer.core.messaging.Topic;
import io.alfer.core.messaging.VendorTopics;
import io.alfer.proto.v1.ImageIngested;
import io.alfer.proto.v1.LabelResult;
import io.alfer.proto.v1.LabelTask;
import io.alfer.proto.v1.Split;
import io.alfer.proto.v1.Taxonomy;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.RawProducer;
import io.alfer.testkit.ReceivedRecord;
import io.alfer.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The oracle against the test kit's real Kafka broker, as the label service would see it. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class OracleTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final Taxonomy CLASSES =
      Taxonomy.newBuilder().addClasses("calm").addClasses("happy").addClasses("sad").build();

  static String bootstrap() {
    return KafkaTestResource.bootstrapServers();
  }

  static void ingest(RawProducer p, String image, int label) {
    p.send(
        Topic.IMAGES.topicName(),
        image,
        ImageIngested.newBuilder()
            .setImageId(image)
            .setDataset("oracle-test")
            .setSplit(Split.SPLIT_POOL)
            .setLabel(label)
            .build()
            .toByteArray());
  }

  static void task(RawProducer p, String taskId, String vendor, String image, int slot)
      throws Exception {
    LabelTask task =
        LabelTask.newBuilder()
            .setTaskId(taskId)
            .setVendor(vendor)
            .setCampaignId("c-oracle")
            .setDataset("oracle-test")
            .setImageId(image)
            .setTaxonomy(CLASSES)
            .setAnnotationsWanted(2)
            .setSlot(slot)
            .build();
    p.send(
        VendorTopics.tasks("oracle"),
        taskId,
        JsonFormat.printer().print(task).getBytes(StandardCharsets.UTF_8));
  }

  static LabelResult result(ReceivedRecord r) {
    LabelResult.Builder b = LabelResult.newBuilder();
    try {
      JsonFormat.parser().merge(r.valueAsString(), b);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return b.build();
  }

  @Test
  void itIsReadyWhenKafkaAnswersAndTheGroundTruthIsReplayedAndAsksNoStorage() {
    // the replay of alfer.images catches up within seconds of the start
    org.awaitility.Awaitility.await("ready with Kafka and the ground truth, without storage")
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                io.restassured.RestAssured.given()
                    .get("/q/health/ready")
                    .then()
                    .statusCode(200)
                    .body("checks.find { it.name == 'dependencies' }.data.kafka", equalTo(true))
                    .body(
                        "checks.find { it.name == 'dependencies' }.data.ground-truth",
                        equalTo(true))
                    .body("checks.find { it.name == 'dependencies' }.data.s3", nullValue()));
  }

  @Test
  void answersItsTasksFromGroundTruthAndOnlyItsOwn() throws Exception {
    try (TopicProbe results = TopicProbe.fromNow(bootstrap(), VendorTopics.results("oracle"));
        TopicProbe dlq = TopicProbe.fromNow(bootstrap(), VendorTopics.refusedTasks("oracle"));
        RawProducer p = new RawProducer(bootstrap())) {
      ingest(p, "o-1", 2);
      ingest(p, "o-unlabelled", -1);
      task(p, "t-other", "acme", "o-1", 0);
      task(p, "t-1", "oracle", "o-1", 1);
      task(p, "t-2", "oracle", "o-unlabelled", 0);
      p.send(VendorTopics.tasks("oracle"), "t-bad", "{oops".getBytes(StandardCharsets.UTF_8));
      task(p, "t-3", "oracle", "o-1", 0);

      List<ReceivedRecord> answers = results.await(2, WAIT);
      assertThat(answers).extracting(ReceivedRecord::key).containsExactlyInAnyOrder("t-1", "t-3");
      ReceivedRecord first = answers.stream().filter(r -> r.key().equals("t-1")).findFirst().get();
      assertThat(first.header(CloudEvents.TYPE)).isEqualTo(CloudEvents.LABEL_RESULT_TYPE);
      assertThat(first.header(CloudEvents.SPECVERSION)).isEqualTo("1.0");
      assertThat(first.header(CloudEvents.SOURCE)).isEqualTo("/alfer/vendors/oracle");
      assertThat(first.header(CloudEvents.CONTENT_TYPE)).isEqualTo("application/json");
      LabelResult r = result(first);
      assertThat(r.getTaskId()).isEqualTo("t-1");
      assertThat(r.getVendor()).isEqualTo("oracle");
      assertThat(r.getLabel()).isEqualTo("sad");
      assertThat(r.getAnnotator()).isEqualTo("oracle-1");
      assertThat(r.hasAnsweredAt()).isTrue();

      List<ReceivedRecord> dead = dlq.await(2, WAIT);
      assertThat(dead).extracting(ReceivedRecord::key).containsExactlyInAnyOrder("t-2", "t-bad");
      assertThat(dead)
          .extracting(d -> d.header("dead-letter-reason"))
          .anySatisfy(reason -> assertThat(reason).startsWith("no_ground_truth"))
          .anySatisfy(reason -> assertThat(reason).startsWith("malformed"));
      assertThat(results.received()).extracting(ReceivedRecord::key).doesNotContain("t-other");
    }
  }
}
