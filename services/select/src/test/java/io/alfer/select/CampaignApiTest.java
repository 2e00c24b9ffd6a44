package io.alfer.select;

import static io.alfer.select.Fixtures.WAIT;
import static io.alfer.select.Fixtures.awaitRequest;
import static io.alfer.select.Fixtures.awaitSelection;
import static io.alfer.select.Fixtures.awaitView;
import static io.alfer.select.Fixtures.bootstrap;
import static io.alfer.select.Fixtures.ids;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.alfer.core.messaging.Topic;
import io.alfer.proto.v1.CampaignEvent;
import io.alfer.proto.v1.SelectionMade;
import io.alfer.select.state.SelectState;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.S3TestResource;
import io.alfer.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST API: every refusal with its reason, idempotent creation, pause, resume, cancel. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class CampaignApiTest {
  static final String DATASET = "api";

  @Inject SelectState state;

  @BeforeAll
  static void datasets() {
    Fixtures.dataset(DATASET, 20, 4);
    Fixtures.dataset("api-other", 10, 2);
    Fixtures.dataset("api-empty", 0, 0);
    Fixtures.dataset("api-untested", 5, 0);
    Fixtures.encoder("enc-api", DATASET);
    Fixtures.encoder("enc-api-other", "api-other");
    Fixtures.classifier("someone", 0, DATASET, 0.5, null);
  }

  static boolean read;

  @BeforeEach
  void ready() throws Exception {
    assertThat(state.awaitReady(WAIT)).isTrue();
    if (read) {
      return;
    }
    read = true;
    Fixtures.awaitPool(DATASET, 20);
    Fixtures.awaitPool("api-other", 10);
    Fixtures.awaitModel("enc-api", DATASET);
    Fixtures.awaitModel("someone-r0", DATASET);
    Fixtures.awaitModel("enc-api-other", "api-other");
  }

  static String body(String extra) {
    return "{\"dataset\":\"api\",\"strategy\":\"margin\",\"initialSize\":4,\"budgetPerRound\":2,"
        + "\"rounds\":1"
        + (extra.isEmpty() ? "" : "," + extra)
        + "}";
  }

  static void refused(String json, int status, String reason, String messagePart) {
    given()
        .contentType(ContentType.JSON)
        .body(json)
        .when()
        .post("/campaigns")
        .then()
        .statusCode(status)
        .contentType(ContentType.JSON)
        .body("error", equalTo(reason))
        .body("message", containsString(messagePart));
  }

  /** Waits until the service has read enough of a dataset to refuse with {@code reason}. */
  static void eventuallyRefused(String json, String reason) {
    await("refusal " + reason + " of " + json)
        .atMost(WAIT)
        .until(
            () ->
                given()
                    .contentType(ContentType.JSON)
                    .body(json)
                    .when()
                    .post("/campaigns")
                    .then()
                    .extract()
                    .jsonPath()
                    .getString("error"),
            reason::equals);
  }

  @Test
  void everyImpossibleRequestIsRefusedWithItsReason() {
    refused("", 400, "missing_body", "JSON body");
    refused("{\"dataset\":", 400, "invalid_json", "");
    refused(body("\"budgetPerRond\":3"), 400, "unknown_field", "budgetPerRond");
    refused(body("\"rounds\":\"many\""), 400, "invalid_json", "");
    refused(body("\"campaignId\":\"no/slash\""), 400, "invalid_campaign_id", "no/slash");
    refused("{\"strategy\":\"margin\",\"initialSize\":4,\"rounds\":0}", 400, "missing_dataset", "");
    refused(body("\"dataset\":\"nope\""), 400, "unknown_dataset", "nope");
    eventuallyRefused(body("\"dataset\":\"api-empty\""), "empty_pool");
    refused(body("\"dataset\":\"api-empty\""), 400, "empty_pool", "api-empty");
    eventuallyRefused(body("\"dataset\":\"api-untested\""), "no_test_split");
    refused(body("\"dataset\":\"api-untested\""), 400, "no_test_split", "api-untested");
    refused("{\"dataset\":\"api\",\"initialSize\":4,\"rounds\":0}", 400, "missing_strategy", "");
    refused(body("\"strategy\":\"psychic\""), 400, "unknown_strategy", "psychic");
    refused(
        body("\"strategy\":\"bald\",\"strategyParameters\":{\"samplez\":\"3\"}"),
        400,
        "invalid_parameter",
        "samplez");
    refused(
        body("\"strategy\":\"bald\",\"strategyParameters\":{\"samples\":\"1\"}"),
        400,
        "invalid_parameter",
        "samples");
    refused(
        body("\"strategy\":\"deepfool\",\"strategyParameters\":{\"candidates\":\"-1\"}"),
        400,
        "invalid_parameter",
        "candidates");
    refused(
        body("\"strategy\":\"deepfool\",\"strategyParameters\":{\"candidates\":\"1\"}"),
        400,
        "invalid_parameter",
        "candidates=1 is below the budget of 2 images per round");
    refused(
        "{\"dataset\":\"api\",\"strategy\":\"deepfool\",\"strategyParameters\":"
            + "{\"candidates\":\"4\"},\"initialSize\":4,\"budgetFraction\":0.25,\"rounds\":1}",
        400,
        "invalid_parameter",
        "candidates=4 is below the budget of 5 images per round");
    refused(body("\"initialStrategy\":\"badge\""), 400, "invalid_initial_strategy", "badge");
    refused(body("\"initialStrategy\":\"typiclust\""), 400, "base_model_required", "baseModelId");
    refused(body("\"baseModelId\":\"ghost\""), 400, "unknown_base_model", "ghost");
    refused(
        body("\"baseModelId\":\"someone-r0\""), 400, "base_model_mismatch", "not a pre-trained");
    refused(body("\"baseModelId\":\"enc-api-other\""), 400, "base_model_mismatch", "api-other");
    refused(
        "{\"dataset\":\"api\",\"strategy\":\"margin\",\"initialSize\":4}",
        400,
        "missing_rounds",
        "");
    refused(body("\"rounds\":-1").replace("\"rounds\":1,", ""), 400, "invalid_rounds", "");
    refused(
        body("\"initialFraction\":0.2"),
        400,
        "conflicting_sizes",
        "initialSize or initialFraction");
    refused(
        body("\"budgetFraction\":0.2"),
        400,
        "conflicting_sizes",
        "budgetPerRound or budgetFraction");
    refused(
        "{\"dataset\":\"api\",\"strategy\":\"margin\",\"rounds\":0}",
        400,
        "missing_initial_size",
        "");
    refused(
        "{\"dataset\":\"api\",\"strategy\":\"margin\",\"initialSize\":4,\"rounds\":2}",
        400,
        "missing_budget",
        "");
    refused(body("\"totalBudget\":-3"), 400, "invalid_size", "totalBudget");
    refused(
        "{\"dataset\":\"api\",\"strategy\":\"margin\",\"initialFraction\":1.5,\"rounds\":0}",
        400,
        "invalid_size",
        "initialFraction");
    refused(
        "{\"dataset\":\"api\",\"strategy\":\"margin\",\"initialSize\":1,\"rounds\":0}",
        400,
        "impossible_size",
        "at least 2");
    refused(
        "{\"dataset\":\"api\",\"strategy\":\"margin\",\"initialSize\":10,\"budgetPerRound\":4,"
            + "\"rounds\":3}",
        400,
        "impossible_size",
        "would label 22 images");
    refused(body("\"totalBudget\":3"), 400, "impossible_size", "totalBudget 3");
    refused(body("\"finetunePreset\":\"turbo\""), 400, "unknown_preset", "turbo");
    refused(body("\"encoderPreset\":\"huge\""), 400, "unknown_preset", "huge");
    refused(body("\"finetuneMaxEpochs\":-1"), 400, "invalid_size", "finetuneMaxEpochs");
    refused(body("\"vendors\":[\"a b\"]"), 400, "invalid_vendor", "a b");
    refused(body("\"vendors\":[\"acme\",\"acme\"]"), 400, "invalid_vendor", "twice");
    refused(body("\"annotationsPerImage\":0"), 400, "invalid_annotations", "annotationsPerImage");
    given()
        .contentType(ContentType.TEXT)
        .body("hello")
        .when()
        .post("/campaigns")
        .then()
        .statusCode(415)
        .body("error", equalTo("unsupported_media_type"));
  }

  @Test
  void lookupsOfWhatIsNotThereAreRefused() {
    given()
        .when()
        .get("/campaigns/ghost")
        .then()
        .statusCode(404)
        .body("error", equalTo("unknown_campaign"));
    given()
        .when()
        .get("/campaigns?state=sleeping")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_state"));
    given()
        .when()
        .post("/campaigns/ghost/pause")
        .then()
        .statusCode(404)
        .body("error", equalTo("unknown_campaign"));
    given()
        .when()
        .post("/campaigns/ghost/resume")
        .then()
        .statusCode(404)
        .body("error", equalTo("unknown_campaign"));
    given()
        .when()
        .post("/campaigns/ghost/cancel")
        .then()
        .statusCode(404)
        .body("error", equalTo("unknown_campaign"));
    given()
        .when()
        .get("/campaigns/ghost/rounds/0")
        .then()
        .statusCode(404)
        .body("error", equalTo("unknown_campaign"));
    given()
        .when()
        .get("/campaigns/ghost/rounds/0/recompute")
        .then()
        .statusCode(404)
        .body("error", equalTo("unknown_campaign"));
  }

  @Test
  void creationIsIdempotentAndAnotherSpecUnderTheSameIdConflicts() {
    String create = body("\"campaignId\":\"c-api-idem\",\"seed\":3");
    given()
        .contentType(ContentType.JSON)
        .body(create)
        .when()
        .post("/campaigns")
        .then()
        .statusCode(201);
    given()
        .contentType(ContentType.JSON)
        .body(create)
        .when()
        .post("/campaigns")
        .then()
        .statusCode(200)
        .body("campaignId", equalTo("c-api-idem"));
    refused(body("\"campaignId\":\"c-api-idem\",\"seed\":4"), 409, "campaign_exists", "c-api-idem");
    // a generated id
    String generated =
        given()
            .contentType(ContentType.JSON)
            .body(body("\"rounds\":0").replace("\"rounds\":1,", ""))
            .when()
            .post("/campaigns")
            .then()
            .statusCode(201)
            .body("campaignId", startsWith("c-"))
            .body("spec.rounds", equalTo(0))
            .extract()
            .jsonPath()
            .getString("campaignId");
    given().when().post("/campaigns/" + generated + "/cancel").then().statusCode(200);
    given().when().post("/campaigns/c-api-idem/cancel").then().statusCode(200);
    given()
        .when()
        .get("/campaigns/c-api-idem/rounds/x")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_round"));
    given()
        .when()
        .get("/campaigns/c-api-idem/rounds/7")
        .then()
        .statusCode(404)
        .body("error", equalTo("unknown_round"));
  }

  @Test
  void aPausedCampaignTakesNoStepUntilResumedAndACancelledOneStopsForGood() throws Exception {
    String a = "c-api-pause";
    try (TopicProbe selections = TopicProbe.fromNow(bootstrap(), Topic.SELECTIONS.topicName());
        TopicProbe requests =
            TopicProbe.fromNow(bootstrap(), Topic.TRAINING_REQUESTS.topicName())) {
      given()
          .contentType(ContentType.JSON)
          .body(body("\"campaignId\":\"" + a + "\""))
          .when()
          .post("/campaigns")
          .then()
          .statusCode(201);
      SelectionMade r0 = awaitSelection(selections, a, 0);
      given()
          .when()
          .post("/campaigns/" + a + "/pause?reason=lunch")
          .then()
          .statusCode(200)
          .body("state", equalTo("paused"))
          .body("message", equalTo("paused: lunch"));
      given()
          .when()
          .post("/campaigns/" + a + "/pause")
          .then()
          .statusCode(409)
          .body("error", equalTo("invalid_transition"));
      given()
          .when()
          .get("/campaigns?state=paused")
          .then()
          .statusCode(200)
          .body("campaignId", hasItem(a));
      given()
          .when()
          .get("/campaigns?state=running")
          .then()
          .statusCode(200)
          .body("campaignId", not(hasItem(a)));

      // Labels keep arriving while paused ...
      Fixtures.labels(a, 0, DATASET, ids(r0));
      awaitView(a, "labels counted", v -> v.getInt("labelledTotal") == 4);
      // ... and the loop keeps running (another campaign moves on), but this one takes no step.
      String b = "c-api-marker";
      given()
          .contentType(ContentType.JSON)
          .body(body("\"campaignId\":\"" + b + "\""))
          .when()
          .post("/campaigns")
          .then()
          .statusCode(201);
      awaitSelection(selections, b, 0);
      Fixtures.labels(b, 0, DATASET, ids(awaitSelection(selections, b, 0)));
      awaitRequest(requests, b + "-r0");
      assertThat(requests.received()).noneMatch(r -> r.key().startsWith(a));
      assertThat(Fixtures.view(a).getString("phase")).isEqualTo("labelling");

      given()
          .when()
          .post("/campaigns/" + a + "/resume")
          .then()
          .statusCode(200)
          .body("state", equalTo("running"));
      given()
          .when()
          .post("/campaigns/" + a + "/resume")
          .then()
          .statusCode(409)
          .body("error", equalTo("invalid_transition"));
      awaitRequest(requests, a + "-r0");

      given()
          .when()
          .post("/campaigns/" + a + "/cancel?reason=enough")
          .then()
          .statusCode(200)
          .body("state", equalTo("cancelled"))
          .body("phase", equalTo("done"))
          .body("message", equalTo("cancelled: enough"));
      for (String action : List.of("pause", "resume", "cancel")) {
        given()
            .when()
            .post("/campaigns/" + a + "/" + action)
            .then()
            .statusCode(409)
            .body("error", equalTo("invalid_transition"));
      }
      // The model arrives anyway: a cancelled campaign records nothing more.
      Fixtures.classifier(a, 0, DATASET, 0.5, null);
      Fixtures.classifier(b, 0, DATASET, 0.5, null);
      awaitView(b, "marker evaluated", v -> v.getString("phase").equals("scoring"));
      assertThat(Fixtures.view(a).getString("state")).isEqualTo("cancelled");
      assertThat(Fixtures.view(a).getList("rounds.modelId")).containsOnlyNulls();
      given().when().post("/campaigns/" + b + "/cancel").then().statusCode(200);
    }
    List<CampaignEvent> events = Fixtures.events(a, 7);
    assertThat(events)
        .extracting(CampaignEvent::getEventCase)
        .containsExactly(
            CampaignEvent.EventCase.CREATED,
            CampaignEvent.EventCase.ROUND_SELECTED,
            CampaignEvent.EventCase.STATE_CHANGED,
            CampaignEvent.EventCase.STATE_CHANGED,
            CampaignEvent.EventCase.ROUND_LABELLED,
            CampaignEvent.EventCase.TRAINING_REQUESTED,
            CampaignEvent.EventCase.STATE_CHANGED);
    given()
        .when()
        .get("/campaigns")
        .then()
        .statusCode(200)
        .body("campaignId", hasItem(a))
        .body("find { it.campaignId == 'c-api-pause' }.state", equalTo("cancelled"));
  }

  @Test
  void operationsAnswer() {
    given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    given().when().get("/q/health/live").then().statusCode(200);
    given().when().get("/q/health/started").then().statusCode(200);
    given()
        .when()
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body(containsString("/campaigns/{id}/rounds/{round}/recompute"));
    given()
        .when()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("alfer_select_campaigns{state=\"running\"}"))
        .body(containsString("alfer_select_rounds_completed_total"));
  }
}
