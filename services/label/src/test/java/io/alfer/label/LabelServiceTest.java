package io.alfer.label;

import static io.alfer.label.Fixtures.answer;
import static io.alfer.label.Fixtures.bearer;
import static io.alfer.label.Fixtures.bootstrap;
import static io.alfer.label.Fixtures.select;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.alfer.core.messaging.CloudEvents;
import io.alfer.core.messaging.Origins;
import io.alfer.core.messaging.Topic;
import io.alfer.core.messaging.VendorTopics;
import io.alfer.core.storage.StorageLayout;
import io.alfer.label.state.LabelState;
import io.alfer.proto.v1.LabelAssigned;
import io.alfer.proto.v1.LabelTask;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.ReceivedRecord;
import io.alfer.testkit.S3TestResource;
import io.alfer.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The label service against the test kit's real Kafka broker and S3 server. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class LabelServiceTest {
  static final Duration WAIT = Duration.ofSeconds(30);

  @Inject LabelState state;
  @Inject MutableClock clock;

  @BeforeEach
  void datasetAndReplay() throws Exception {
    Fixtures.defineDataset();
    assertThat(state.awaitReady(WAIT)).isTrue();
  }

  /** Waits for the tasks of a campaign on alfer.label-tasks, read from the probe's start. */
  static List<LabelTask> tasks(TopicProbe probe, String campaign, int count) {
    return tasks(probe, campaign, count, WAIT);
  }

  static List<LabelTask> tasks(TopicProbe probe, String campaign, int count, Duration wait) {
    return probe.await(r -> Fixtures.task(r).getCampaignId().equals(campaign), count, wait).stream()
        .map(Fixtures::task)
        .toList();
  }

  static List<LabelAssigned> labels(TopicProbe probe, String campaign, int count) {
    return probe.await(r -> r.key().startsWith(campaign + "/"), count, WAIT).stream()
        .map(Fixtures::label)
        .toList();
  }

  @Test
  void aSelectionOfMoreTasksThanTheTaskChannelBuffersIssuesEveryOne() {
    // The tasks-out channel buffers 8,192 messages beyond what the producer has asked for: a
    // selection of 12,000 tasks overflowed it when all were written at once, and its last ~3,000
    // tasks were only recorded, to be re-issued when their deadline passed (a day later). The
    // vendor is oracle, whose counts the other tests do not look at, with one annotation per
    // image (the test profile refits Dawid-Skene at every annotation).
    int images = 12_000;
    String campaign = "c-large";
    List<String> ids = IntStream.range(0, images).mapToObj(i -> "large-" + i).toList();
    try (TopicProbe taskProbe = Fixtures.taskProbe();
        TopicProbe labelProbe = TopicProbe.fromNow(bootstrap(), Topic.LABELS.topicName())) {
      select(campaign, 0, ids, List.of("oracle"), 1);
      List<LabelTask> tasks = tasks(taskProbe, campaign, images, Duration.ofSeconds(90));
      assertThat(tasks.stream().map(LabelTask::getImageId).distinct()).hasSize(images);

      // Answered, so that no open task is left for the tests that move the clock past deadlines.
      Fixtures.answerAll(tasks, "calm");
      assertThat(labelProbe.await(r -> r.key().startsWith(campaign + "/"), images, WAIT))
          .hasSize(images);
    }
  }

  @Test
  void aSelectionBecomesTasksSpreadOverVendorsAndAnswersBecomeOneLabelPerImage() throws Exception {
    String campaign = "c-flow";
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
    S3TestResource.objectStore()
        .put(StorageLayout.canonicalImage(Fixtures.DATASET, "img-a"), png, "image/png");
    try (TopicProbe taskProbe = Fixtures.taskProbe();
        TopicProbe labelProbe = TopicProbe.fromNow(bootstrap(), Topic.LABELS.topicName())) {
      select(campaign, 1, List.of("img-a", "img-b"), List.of("acme", "globex"), 2);
      List<ReceivedRecord> records =
          taskProbe.await(r -> Fixtures.task(r).getCampaignId().equals(campaign), 4, WAIT);

      ReceivedRecord first = records.get(0);
      assertThat(first.header(CloudEvents.SPECVERSION)).isEqualTo("1.0");
      assertThat(first.header(CloudEvents.TYPE)).isEqualTo(CloudEvents.LABEL_TASK_TYPE);
      assertThat(first.header(CloudEvents.SOURCE)).isEqualTo("/alfer/label");
      assertThat(first.header(CloudEvents.ID)).isEqualTo(first.key());
      assertThat(first.header(CloudEvents.CONTENT_TYPE)).isEqualTo("application/json");
      assertThat(first.valueAsString()).contains("\"taskId\"", "\"imageUrl\"", "\"deadline\"");

      List<LabelTask> tasks = records.stream().map(Fixtures::task).toList();
      assertThat(tasks)
          .allSatisfy(
              t -> {
                assertThat(t.getRound()).isEqualTo(1);
                assertThat(t.getAnnotationsWanted()).isEqualTo(2);
                assertThat(t.getTaxonomy().getClassesList()).isEqualTo(Fixtures.CLASSES);
                assertThat(Origins.instant(t.getDeadline())).isAfter(Instant.now());
                assertThat(Origins.instant(t.getUrlExpiresAt())).isAfter(Instant.now());
              });
      // One task per (image, slot); the two slots of an image go to different vendors.
      Map<String, List<String>> vendorsByImage =
          tasks.stream()
              .collect(
                  Collectors.groupingBy(
                      LabelTask::getImageId,
                      Collectors.mapping(LabelTask::getVendor, Collectors.toList())));
      assertThat(vendorsByImage.get("img-a")).containsExactlyInAnyOrder("acme", "globex");
      assertThat(vendorsByImage.get("img-b")).containsExactlyInAnyOrder("acme", "globex");

      // The image URL is pre-signed: it serves the image without credentials.
      LabelTask a0 = tasks.stream().filter(t -> t.getImageId().equals("img-a")).findFirst().get();
      HttpResponse<byte[]> image =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create(a0.getImageUrl())).build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      assertThat(image.statusCode()).isEqualTo(200);
      assertThat(image.body()).isEqualTo(png);

      // acme answers over Kafka, globex over HTTP (its key sees only its own tasks).
      Map<String, LabelTask> byVendorImage =
          tasks.stream()
              .collect(Collectors.toMap(t -> t.getVendor() + t.getImageId(), Function.identity()));
      answer(byVendorImage.get("acmeimg-a").getTaskId(), "acme", "ann-1", "happy");
      answer(byVendorImage.get("acmeimg-b").getTaskId(), "acme", "ann-1", "sad");
      given()
          .headers(bearer("globex-secret-key"))
          .when()
          .get("/vendor/tasks")
          .then()
          .statusCode(200)
          .body("findAll { it.campaignId == 'c-flow' }", hasSize(2))
          .body(
              "findAll { it.campaignId == 'c-flow' }.vendor", equalTo(List.of("globex", "globex")));
      given()
          .headers(bearer("globex-secret-key"))
          .contentType("application/json")
          .body("{\"annotator\":\"g-7\",\"label\":\"Happy\",\"confidence\":0.8}")
          .when()
          .post("/vendor/tasks/" + byVendorImage.get("globeximg-a").getTaskId() + "/result")
          .then()
          .statusCode(202)
          .body("vendor", equalTo("globex"))
          .body("label", equalTo("Happy"));
      given()
          .headers(bearer("globex-secret-key"))
          .contentType("application/json")
          .body("{\"annotator\":\"g-7\",\"label\":\"calm\"}")
          .when()
          .post("/vendor/tasks/" + byVendorImage.get("globeximg-b").getTaskId() + "/result")
          .then()
          .statusCode(202);

      Map<String, LabelAssigned> labels =
          labels(labelProbe, campaign, 2).stream()
              .collect(Collectors.toMap(LabelAssigned::getImageId, Function.identity()));
      LabelAssigned a = labels.get("img-a");
      assertThat(a.getLabel()).isEqualTo(1);
      assertThat(a.getLabelName()).isEqualTo("happy");
      assertThat(a.getAgreement()).isEqualTo(1.0);
      assertThat(a.getAnnotations()).isEqualTo(2);
      assertThat(a.getMethod()).isEqualTo("majority");
      assertThat(a.getDataset()).isEqualTo(Fixtures.DATASET);
      assertThat(a.getRound()).isEqualTo(1);
      LabelAssigned b = labels.get("img-b");
      assertThat(b.getAgreement()).isEqualTo(0.5);
      // A tie: equal votes, the larger summed confidence wins (acme's 0.9 for "sad").
      assertThat(b.getLabelName()).isEqualTo("sad");
    }

    String csv =
        given()
            .when()
            .get("/campaigns/c-flow/labels")
            .then()
            .statusCode(200)
            .contentType("text/csv")
            .extract()
            .asString();
    assertThat(csv.split("\r\n"))
        .hasSize(3)
        .contains("c-flow,1,label-test,img-a,1,happy,1.0000,2,majority");
    given()
        .when()
        .get("/campaigns/c-flow/labels?format=label-studio")
        .then()
        .statusCode(200)
        .body("", hasSize(2))
        .body(
            "find { it.data.image_id == 'img-a' }.annotations[0].result[0].type",
            equalTo("choices"))
        .body(
            "find { it.data.image_id == 'img-a' }.annotations[0].result[0].value.choices",
            equalTo(List.of("happy")));
    given().when().get("/campaigns/c-flow/labels?format=xml").then().statusCode(400);

    given()
        .when()
        .get("/vendors/globex")
        .then()
        .statusCode(200)
        .body("answered", equalTo(2))
        .body("agreement", equalTo(0.5f));
  }

  @Test
  void aResultIsTheVendorsWhoseTopicItArrivedOnWhateverItSays() throws Exception {
    String campaign = "c-isolation";
    try (TopicProbe taskProbe = Fixtures.taskProbe();
        TopicProbe dlq = Fixtures.refusedResultProbe();
        TopicProbe labelProbe = TopicProbe.fromNow(bootstrap(), Topic.LABELS.topicName())) {
      select(campaign, 0, List.of("iso-1"), List.of("acme"), 1);
      LabelTask task = tasks(taskProbe, campaign, 1).get(0);
      assertThat(task.getVendor()).isEqualTo("acme");
      String t = task.getTaskId();
      String json = "{\"taskId\":\"" + t + "\",\"vendor\":\"%s\",\"label\":\"happy\"}";

      // on acme's topic, naming globex
      Fixtures.sendRaw("acme", t, json.formatted("globex").getBytes(StandardCharsets.UTF_8));
      // on acme's topic, its ce_source globex's
      Fixtures.sendRaw(
          "acme", t, json.formatted("acme").getBytes(StandardCharsets.UTF_8), "/vendors/globex");
      // on globex's topic, for acme's task
      Fixtures.sendRaw("globex", t, json.formatted("globex").getBytes(StandardCharsets.UTF_8));

      List<ReceivedRecord> refused = dlq.await(r -> t.equals(r.key()), 3, WAIT);
      assertThat(refused)
          .extracting(r -> r.header("dead-letter-reason"))
          .containsOnly("wrong_vendor");
      assertThat(refused)
          .extracting(ReceivedRecord::topic)
          .containsExactlyInAnyOrder(
              VendorTopics.refusedResults("acme"),
              VendorTopics.refusedResults("acme"),
              VendorTopics.refusedResults("globex"));

      // a result without a vendor field is the vendor's whose topic carries it
      Fixtures.sendRaw(
          "acme",
          t,
          ("{\"taskId\":\"" + t + "\",\"label\":\"sad\"}").getBytes(StandardCharsets.UTF_8));
      assertThat(labels(labelProbe, campaign, 1).get(0).getLabelName()).isEqualTo("sad");
    }
  }

  @Test
  void badResultsAreRefusedWithTheirReasonAndTheConsumerGoesOn() throws Exception {
    String campaign = "c-refusals";
    try (TopicProbe taskProbe = Fixtures.taskProbe();
        TopicProbe dlq = Fixtures.refusedResultProbe();
        TopicProbe labelProbe = TopicProbe.fromNow(bootstrap(), Topic.LABELS.topicName())) {
      select(campaign, 0, List.of("r-1", "r-2"), List.of("acme"), 1);
      List<LabelTask> tasks = tasks(taskProbe, campaign, 2);
      String t1 = tasks.get(0).getTaskId();
      String t2 = tasks.get(1).getTaskId();

      Fixtures.sendRaw("acme", t1, "{not json".getBytes(StandardCharsets.UTF_8));
      answer("no-such-task", "acme", "x", "happy");
      answer(t1, "globex", "x", "happy");
      answer(t1, "acme", "x", "angry");
      answer(t1, "acme", "x", "happy");
      answer(t1, "acme", "y", "sad");
      answer(t2, "acme", "x", "calm");

      Map<String, String> reasons =
          dlq.await(5, WAIT).stream()
              .collect(
                  Collectors.toMap(
                      ReceivedRecord::valueAsString,
                      r -> r.header("dead-letter-reason"),
                      (x, y) -> x + "," + y));
      assertThat(reasons.values())
          .containsExactlyInAnyOrder(
              "malformed", "unknown_task", "wrong_vendor", "label_not_in_taxonomy", "duplicate");
      ReceivedRecord dead =
          dlq.received().stream()
              .filter(r -> "malformed".equals(r.header("dead-letter-reason")))
              .findFirst()
              .orElseThrow();
      assertThat(dead.topic()).isEqualTo(VendorTopics.refusedResults("acme"));
      assertThat(dead.header("dead-letter-topic")).isEqualTo(VendorTopics.results("acme"));
      assertThat(dead.header("dead-letter-offset")).isNotNull();
      assertThat(dead.header(CloudEvents.TYPE)).isEqualTo(CloudEvents.LABEL_RESULT_TYPE);

      // The good answers around the bad ones were accepted: both images are labelled.
      assertThat(labels(labelProbe, campaign, 2))
          .extracting(LabelAssigned::getLabelName)
          .containsExactlyInAnyOrder("happy", "calm");
    }
    given()
        .when()
        .get("/vendors/acme")
        .then()
        .statusCode(200)
        .body("refused.duplicate", equalTo(1))
        .body("refused.label_not_in_taxonomy", equalTo(1));
    given().when().get("/vendors/globex").then().body("refused.wrong_vendor", equalTo(1));
  }

  @Test
  void theHttpEndpointNeedsTheVendorsKeyAndShowsOnlyItsTasks() throws Exception {
    String campaign = "c-http";
    try (TopicProbe taskProbe = Fixtures.taskProbe()) {
      select(campaign, 0, List.of("h-1"), List.of("acme"), 1);
      String taskId = tasks(taskProbe, campaign, 1).get(0).getTaskId();

      given()
          .when()
          .get("/vendor/tasks")
          .then()
          .statusCode(401)
          .body("error", equalTo("unauthorized"));
      given().headers(bearer("wrong")).when().get("/vendor/tasks").then().statusCode(401);
      given()
          .headers(bearer("globex-secret-key"))
          .when()
          .get("/vendor/tasks/" + taskId)
          .then()
          .statusCode(404)
          .body("error", equalTo("unknown_task"));
      given()
          .headers(bearer("globex-secret-key"))
          .contentType("application/json")
          .body("{\"label\":\"happy\"}")
          .post("/vendor/tasks/" + taskId + "/result")
          .then()
          .statusCode(404);
      given()
          .headers(bearer("acme-secret-key"))
          .when()
          .get("/vendor/tasks/" + taskId)
          .then()
          .statusCode(200)
          .body("taskId", equalTo(taskId))
          .body("imageUrl", org.hamcrest.Matchers.startsWith("http"));
      given()
          .headers(bearer("acme-secret-key"))
          .contentType("application/json")
          .body("{\"label\":\"furious\"}")
          .post("/vendor/tasks/" + taskId + "/result")
          .then()
          .statusCode(400)
          .body("error", equalTo("label_not_in_taxonomy"));
      given()
          .headers(bearer("acme-secret-key"))
          .contentType("application/json")
          .body("{\"label\":")
          .post("/vendor/tasks/" + taskId + "/result")
          .then()
          .statusCode(400)
          .body("error", equalTo("malformed"));
    }
  }

  @Test
  void aLateResultIsRefusedAndTheExpiredTaskIsReissued() throws Exception {
    String campaign = "c-late";
    try (TopicProbe taskProbe = Fixtures.taskProbe();
        TopicProbe dlq = Fixtures.refusedResultProbe();
        TopicProbe labelProbe = TopicProbe.fromNow(bootstrap(), Topic.LABELS.topicName())) {
      LabelTask expired;
      clock.shift(Duration.ofHours(-2)); // issued two hours ago with a one-hour TTL
      try {
        select(campaign, 0, List.of("l-1"), List.of("acme"), 1);
        expired = tasks(taskProbe, campaign, 1).get(0);
      } finally {
        clock.shift(Duration.ZERO);
      }
      assertThat(Origins.instant(expired.getDeadline())).isBefore(Instant.now());

      answer(expired.getTaskId(), "acme", "x", "happy");
      ReceivedRecord late = dlq.await(r -> expired.getTaskId().equals(r.key()), 1, WAIT).get(0);
      assertThat(late.header("dead-letter-reason")).isEqualTo("late");

      LabelTask reissued = tasks(taskProbe, campaign, 2).get(1);
      assertThat(reissued.getReissueOf()).isEqualTo(expired.getTaskId());
      assertThat(reissued.getAttempt()).isEqualTo(1);
      assertThat(reissued.getSlot()).isEqualTo(expired.getSlot());
      assertThat(reissued.getVendor()).isEqualTo("acme");
      assertThat(Origins.instant(reissued.getDeadline())).isAfter(Instant.now());

      given()
          .headers(bearer("acme-secret-key"))
          .contentType("application/json")
          .body("{\"label\":\"happy\"}")
          .post("/vendor/tasks/" + expired.getTaskId() + "/result")
          .then()
          .statusCode(410)
          .body("error", equalTo("late"));
      answer(reissued.getTaskId(), "acme", "x", "sad");
      assertThat(labels(labelProbe, campaign, 1).get(0).getLabelName()).isEqualTo("sad");
    }
    given()
        .when()
        .get("/vendors/acme")
        .then()
        .body("late", org.hamcrest.Matchers.greaterThanOrEqualTo(1))
        .body("expired", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
  }

  @Test
  void aSelectionForAnUnknownDatasetOrVendorIsDeadLettered() {
    try (TopicProbe dlq = TopicProbe.fromNow(bootstrap(), Topic.SELECTIONS.dlqName())) {
      select("c-bad-vendor", 0, List.of("v-1"), List.of("initech"), 1);
      ReceivedRecord r = dlq.await(x -> "c-bad-vendor".equals(x.key()), 1, WAIT).get(0);
      assertThat(r.header("dead-letter-reason")).isEqualTo("unknown_vendor");
    }
  }
}
