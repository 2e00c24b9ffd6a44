package io.alfer.select;

import static io.alfer.select.Fixtures.awaitRequest;
import static io.alfer.select.Fixtures.awaitSelection;
import static io.alfer.select.Fixtures.awaitView;
import static io.alfer.select.Fixtures.bootstrap;
import static io.alfer.select.Fixtures.ids;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.alfer.core.messaging.Topic;
import io.alfer.proto.v1.LabelledImage;
import io.alfer.proto.v1.SelectionMade;
import io.alfer.proto.v1.TrainingRequest;
import io.alfer.proto.v1.UnansweredPolicy;
import io.alfer.select.state.SelectState;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.S3TestResource;
import io.alfer.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A round whose images a vendor never answers still ends: the label service announces them
 * UNANSWERED, the round goes on with the labels it has, and the unanswered images are back in the
 * pool for the next round, counted and shown in the campaign's view.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class UnansweredRoundTest {
  @Inject SelectState state;

  @BeforeEach
  void ready() throws Exception {
    assertThat(state.awaitReady(Fixtures.WAIT)).isTrue();
  }

  @Test
  void aRoundWithUnansweredImagesCompletesAndTheyReturnToThePool() throws Exception {
    String dataset = "loop-silent";
    List<String> pool = Fixtures.dataset(dataset, 20, 4);
    String campaign = "c-silent";
    try (TopicProbe selections = TopicProbe.fromNow(bootstrap(), Topic.SELECTIONS.topicName());
        TopicProbe requests =
            TopicProbe.fromNow(bootstrap(), Topic.TRAINING_REQUESTS.topicName())) {
      Fixtures.awaitPool(dataset, 20);
      given()
          .contentType(ContentType.JSON)
          .body(
              """
              {"campaignId":"c-silent","dataset":"loop-silent","strategy":"entropy",
               "initialSize":6,"budgetPerRound":4,"rounds":1,"seed":7,"onUnanswered":"reassign",
               "finetunePreset":"cpu-fast","encoderPreset":"tiny"}
              """)
          .when()
          .post("/campaigns")
          .then()
          .statusCode(201)
          .body("spec.onUnanswered", equalTo("reassign"));

      SelectionMade r0 = awaitSelection(selections, campaign, 0);
      assertThat(r0.getOnUnanswered()).isEqualTo(UnansweredPolicy.UNANSWERED_POLICY_REASSIGN);
      List<String> picked = ids(r0);
      List<String> answered = picked.subList(0, 4);
      List<String> silent = picked.subList(4, 6);
      Fixtures.labels(campaign, 0, dataset, answered);
      awaitView(
          campaign,
          "four labels in the live view",
          v ->
              v.getList("rounds[0].unanswered").size() == 0 && v.getInt("rounds[0].labelled") == 4);
      Fixtures.unanswered(campaign, 0, dataset, silent);

      TrainingRequest r0Job = awaitRequest(requests, campaign + "-r0");
      assertThat(r0Job.getFinetune().getLabelledList())
          .extracting(LabelledImage::getImageId)
          .containsExactlyElementsOf(answered);
      JsonPath view =
          awaitView(campaign, "round 0 labelled", v -> v.get("rounds[0].labelledTotal") != null);
      assertThat(view.getInt("rounds[0].labelled")).isEqualTo(4);
      assertThat(view.getList("rounds[0].unanswered", String.class))
          .containsExactlyElementsOf(silent);
      assertThat(view.getInt("rounds[0].labelledTotal")).isEqualTo(4);

      Fixtures.classifier(campaign, 0, dataset, 0.4, null);
      Fixtures.embeddings(campaign + "-r0", dataset, pool, true, false);
      SelectionMade r1 = awaitSelection(selections, campaign, 1);
      Set<String> labelled = new HashSet<>(answered);
      // the two unanswered images are candidates again: the pool less the four labels
      assertThat(ids(r1))
          .isEqualTo(CampaignLoopTest.mostUncertain(campaign + "-r0", pool, labelled, 4));
      assertThat(ids(r1)).noneMatch(labelled::contains);

      Fixtures.labels(campaign, 1, dataset, ids(r1));
      TrainingRequest r1Job = awaitRequest(requests, campaign + "-r1");
      assertThat(r1Job.getFinetune().getLabelledCount()).isEqualTo(8);
      Fixtures.classifier(campaign, 1, dataset, 0.5, null);

      JsonPath done =
          awaitView(campaign, "completed", v -> v.getString("state").equals("completed"));
      assertThat(done.getInt("labelledTotal")).isEqualTo(8);
      assertThat(done.getList("rounds.labelledTotal", Integer.class)).containsExactly(4, 8);
      assertThat(done.getList("rounds[1].unanswered")).isEmpty();
    }
    given()
        .when()
        .get("/campaigns/c-silent/rounds/1/recompute")
        .then()
        .statusCode(200)
        .body("matches", equalTo(true));
  }

  @Test
  void anUnknownPolicyIsRefusedByName() throws Exception {
    Fixtures.dataset("loop-policy", 6, 2);
    Fixtures.awaitPool("loop-policy", 6);
    given()
        .contentType(ContentType.JSON)
        .body(
            """
            {"campaignId":"c-policy","dataset":"loop-policy","strategy":"entropy",
             "initialSize":2,"budgetPerRound":2,"rounds":1,"onUnanswered":"wait"}
            """)
        .when()
        .post("/campaigns")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_on_unanswered"))
        .body("message", org.hamcrest.Matchers.containsString("'wait'"));
  }
}
