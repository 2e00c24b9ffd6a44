package io.alfer.select;

import static io.alfer.select.Fixtures.WAIT;
import static io.alfer.select.Fixtures.bootstrap;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.alfer.core.messaging.Topic;
import io.alfer.proto.v1.CampaignEvent;
import io.alfer.proto.v1.EmbeddingsReady;
import io.alfer.proto.v1.ImageIngested;
import io.alfer.proto.v1.JobState;
import io.alfer.proto.v1.LabelAssigned;
import io.alfer.proto.v1.ModelPublished;
import io.alfer.proto.v1.SelectedImage;
import io.alfer.proto.v1.SelectionMade;
import io.alfer.proto.v1.Split;
import io.alfer.proto.v1.TrainingProgress;
import io.alfer.select.state.SelectState;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.RawProducer;
import io.alfer.testkit.ReceivedRecord;
import io.alfer.testkit.S3TestResource;
import io.alfer.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * A bad record on any input topic goes to that topic's dead-letter topic with its reason, is
 * counted, and the consumer goes on; a restart does not dead-letter it again.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class DeadLetterTest {
  /** Not protobuf of any type: a varint that never ends. */
  static final byte[] GARBAGE = {(byte) 0xff, (byte) 0xff, (byte) 0xff};

  @Inject SelectState state;

  record Bad(String topic, String key, byte[] value, String reason) {}

  @Test
  void aBadRecordOnEachInputGoesToItsDeadLetterTopicAndTheConsumerGoesOn() throws Exception {
    assertThat(state.awaitReady(WAIT)).isTrue();
    List<Bad> bad =
        List.of(
            new Bad(Topic.CAMPAIGNS.topicName(), "dlq-c/0", GARBAGE, "undecodable"),
            new Bad(
                Topic.CAMPAIGNS.topicName(),
                "dlq-c/9",
                CampaignEvent.newBuilder()
                    .setCampaignId("dlq-c")
                    .setSequence(9)
                    .build()
                    .toByteArray(),
                "invalid_event"),
            new Bad(Topic.DATASETS.topicName(), "dlq-d", GARBAGE, "undecodable"),
            new Bad(Topic.IMAGES.topicName(), "dlq-i", GARBAGE, "undecodable"),
            new Bad(
                Topic.IMAGES.topicName(),
                "dlq-i2",
                ImageIngested.newBuilder()
                    .setImageId("dlq-i2")
                    .setDataset("x")
                    .build()
                    .toByteArray(),
                "invalid_image"),
            new Bad(Topic.MODELS.topicName(), "dlq-m", GARBAGE, "undecodable"),
            new Bad(
                Topic.MODELS.topicName(),
                "dlq-m2",
                ModelPublished.newBuilder()
                    .setModelId("dlq-m2")
                    .setDataset("x")
                    .build()
                    .toByteArray(),
                "invalid_model"),
            new Bad(Topic.EMBEDDINGS.topicName(), "dlq-e", GARBAGE, "undecodable"),
            new Bad(
                Topic.EMBEDDINGS.topicName(),
                "dlq-e2",
                EmbeddingsReady.newBuilder()
                    .setModelId("dlq-e2")
                    .setDataset("x")
                    .setSplit(Split.SPLIT_POOL)
                    .build()
                    .toByteArray(),
                "invalid_embeddings"),
            new Bad(Topic.LABELS.topicName(), "dlq-l", GARBAGE, "undecodable"),
            new Bad(
                Topic.LABELS.topicName(),
                "dlq-l2",
                LabelAssigned.newBuilder()
                    .setCampaignId("c")
                    .setImageId("i")
                    .setLabel(-1)
                    .build()
                    .toByteArray(),
                "invalid_label"),
            new Bad(Topic.TRAINING_PROGRESS.topicName(), "dlq-t", GARBAGE, "undecodable"),
            new Bad(
                Topic.TRAINING_PROGRESS.topicName(),
                "dlq-t2",
                TrainingProgress.newBuilder().setJobId("dlq-t2").build().toByteArray(),
                "invalid_progress"));

    Map<String, TopicProbe> probes = new java.util.HashMap<>();
    try {
      for (Bad b : bad) {
        probes.computeIfAbsent(
            b.topic() + Topic.DLQ_SUFFIX, t -> TopicProbe.fromNow(bootstrap(), t));
      }
      java.util.List<RecordMetadata> written = new java.util.ArrayList<>();
      try (RawProducer p = new RawProducer(bootstrap())) {
        for (Bad b : bad) {
          written.add(p.send(b.topic(), b.key(), b.value()));
        }
      }
      for (int i = 0; i < bad.size(); i++) {
        Bad b = bad.get(i);
        RecordMetadata at = written.get(i);
        ReceivedRecord dead =
            probes
                .get(b.topic() + Topic.DLQ_SUFFIX)
                .await(
                    r ->
                        "select".equals(r.header("dead-letter-consumer"))
                            && b.key().equals(r.key()),
                    1,
                    WAIT)
                .get(0);
        assertThat(dead.header("dead-letter-reason")).as(b.key()).isEqualTo(b.reason());
        assertThat(dead.header("dead-letter-cause")).isNotBlank();
        assertThat(dead.header("dead-letter-topic")).isEqualTo(b.topic());
        assertThat(dead.header("dead-letter-partition"))
            .isEqualTo(Integer.toString(at.partition()));
        assertThat(dead.header("dead-letter-offset")).isEqualTo(Long.toString(at.offset()));
        assertThat(dead.value()).isEqualTo(b.value());
      }

      // The consumers went on: a dataset defined after the bad records is usable.
      Fixtures.dataset("after-dlq", 6, 2);
      Fixtures.awaitPool("after-dlq", 6);

      // A restart replays the bad records but does not dead-letter them again.
      state.stop();
      state.start();
      assertThat(state.awaitReady(WAIT)).isTrue();
      Fixtures.send(Topic.LABELS.topicName(), "dlq-marker", GARBAGE);
      probes.get(Topic.LABELS.dlqName()).await(r -> "dlq-marker".equals(r.key()), 1, WAIT);
      for (Map.Entry<String, TopicProbe> e : probes.entrySet()) {
        List<String> keys =
            e.getValue().received().stream()
                .filter(r -> "select".equals(r.header("dead-letter-consumer")))
                .map(ReceivedRecord::key)
                .toList();
        assertThat(keys).as(e.getKey()).doesNotHaveDuplicates();
      }
    } finally {
      probes.values().forEach(TopicProbe::close);
    }
    given()
        .when()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(
            containsString(
                "alfer_select_dead_letters_total{reason=\"undecodable\",topic=\"alfer.labels\"}"));
  }

  @Test
  void aSelectionTheLabelServiceRefusesFailsTheCampaign() throws Exception {
    assertThat(state.awaitReady(WAIT)).isTrue();
    Fixtures.dataset("dlq-sel", 8, 2);
    Fixtures.awaitPool("dlq-sel", 8);
    String campaign = "c-dlq-sel";
    try (TopicProbe selections = TopicProbe.fromNow(bootstrap(), Topic.SELECTIONS.topicName())) {
      given()
          .contentType(ContentType.JSON)
          .body(
              """
              {"campaignId":"c-dlq-sel","dataset":"dlq-sel","strategy":"random",
               "initialSize":2,"rounds":0,"vendors":["nobody"]}
              """)
          .when()
          .post("/campaigns")
          .then()
          .statusCode(201);
      SelectionMade s = Fixtures.awaitSelection(selections, campaign, 0);
      assertThat(s.getImagesList()).extracting(SelectedImage::getImageId).hasSize(2);
      // what the label service does with a selection naming an unknown vendor
      try (RawProducer p = new RawProducer(bootstrap())) {
        p.send(
            Topic.SELECTIONS.dlqName(),
            campaign,
            s.toByteArray(),
            Map.of(
                "dead-letter-reason", "unknown_vendor",
                "dead-letter-cause", "vendor 'nobody' is not registered"));
      }
    }
    var failed = Fixtures.awaitView(campaign, "failed", v -> v.getString("state").equals("failed"));
    assertThat(failed.getString("message"))
        .contains("selection_refused")
        .contains("unknown_vendor")
        .contains("nobody");
    // a failed campaign ignores what comes later
    Fixtures.progress(campaign + "-r0", JobState.JOB_STATE_SUCCEEDED, "");
    assertThat(Fixtures.view(campaign).getString("state")).isEqualTo("failed");
  }
}
