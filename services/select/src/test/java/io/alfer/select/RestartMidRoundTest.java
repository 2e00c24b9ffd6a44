package io.alfer.select;

import static io.alfer.select.Fixtures.WAIT;
import static io.alfer.select.Fixtures.awaitRequest;
import static io.alfer.select.Fixtures.awaitSelection;
import static io.alfer.select.Fixtures.awaitView;
import static io.alfer.select.Fixtures.bootstrap;
import static io.alfer.select.Fixtures.ids;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.alfer.core.messaging.Topic;
import io.alfer.proto.v1.CampaignEvent;
import io.alfer.proto.v1.SelectionMade;
import io.alfer.proto.v1.TrainingRequest;
import io.alfer.select.state.SelectState;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.ReceivedRecord;
import io.alfer.testkit.S3TestResource;
import io.alfer.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The select service loses its state twice in the middle of a campaign (its state is dropped, as a
 * crash would, while the other services go on): once while a round's model is being trained, once
 * while a round's labels come in. Started again, it rebuilds the state from the topics and the
 * campaign completes with no round repeated and no label counted twice.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class RestartMidRoundTest {
  @Inject SelectState state;

  @Test
  void aRestartMidRoundRepeatsNoRoundAndCountsNoLabelTwice() throws Exception {
    assertThat(state.awaitReady(WAIT)).isTrue();
    String dataset = "restart";
    List<String> pool = Fixtures.dataset(dataset, 24, 4);
    String campaign = "c-restart";
    try (TopicProbe selections = TopicProbe.fromNow(bootstrap(), Topic.SELECTIONS.topicName());
        TopicProbe requests =
            TopicProbe.fromNow(bootstrap(), Topic.TRAINING_REQUESTS.topicName())) {
      Fixtures.awaitPool(dataset, 24);
      given()
          .contentType(ContentType.JSON)
          .body(
              """
              {"campaignId":"c-restart","dataset":"restart","strategy":"least-confidence",
               "initialSize":6,"budgetPerRound":4,"rounds":2,"seed":7}
              """)
          .when()
          .post("/campaigns")
          .then()
          .statusCode(201);

      // Round 0; the service dies while the model is trained. Not sure the trainer has the
      // request, the new run sends it again; the trainer takes it for the same job.
      SelectionMade r0 = awaitSelection(selections, campaign, 0);
      Fixtures.labels(campaign, 0, dataset, ids(r0));
      TrainingRequest first = awaitRequest(requests, campaign + "-r0");
      state.stop();
      state.start();
      assertThat(state.awaitReady(WAIT)).isTrue();
      requests.await(r -> r.key().equals(campaign + "-r0"), 2, WAIT);
      Fixtures.classifier(campaign, 0, dataset, 0.41, null);
      Fixtures.embeddings(campaign + "-r0", dataset, pool, true, false);

      // Round 1: half the labels before the crash, most while it is down, the last after.
      SelectionMade r1 = awaitSelection(selections, campaign, 1);
      List<String> r1ids = ids(r1);
      assertThat(r1ids).hasSize(4).doesNotContainAnyElementsOf(ids(r0));
      Fixtures.labels(campaign, 1, dataset, r1ids.subList(0, 2));
      awaitView(campaign, "2 labels of round 1", v -> v.getInt("rounds[1].labelled") == 2);
      state.stop();
      Fixtures.labels(campaign, 1, dataset, r1ids.subList(2, 3));
      // a label announced twice (at-least-once delivery) counts once
      Fixtures.labels(campaign, 1, dataset, r1ids.subList(0, 1));
      state.start();
      assertThat(state.awaitReady(WAIT)).isTrue();
      JsonPath waiting = Fixtures.view(campaign);
      assertThat(waiting.getString("phase")).isEqualTo("labelling");
      assertThat(waiting.getInt("rounds[1].labelled")).isEqualTo(3);
      assertThat(waiting.getInt("labelledTotal")).isEqualTo(9);
      Fixtures.labels(campaign, 1, dataset, r1ids.subList(3, 4));

      awaitRequest(requests, campaign + "-r1");
      Fixtures.classifier(campaign, 1, dataset, 0.47, null);
      Fixtures.embeddings(campaign + "-r1", dataset, pool, true, false);
      SelectionMade r2 = awaitSelection(selections, campaign, 2);
      Fixtures.labels(campaign, 2, dataset, ids(r2));
      awaitRequest(requests, campaign + "-r2");
      Fixtures.classifier(campaign, 2, dataset, 0.52, null);

      JsonPath done =
          awaitView(campaign, "completed", v -> v.getString("state").equals("completed"));
      assertThat(done.getInt("labelledTotal")).isEqualTo(14);
      assertThat(done.getList("rounds.labelledTotal", Integer.class)).containsExactly(6, 10, 14);
      assertThat(done.getList("rounds.testAccuracy", Double.class))
          .containsExactly(0.41, 0.47, 0.52);

      // What a restart re-sent is identical to what was sent before: the label service and the
      // trainer take it for the same selection and the same job.
      Map<Integer, List<List<String>>> selectionsByRound =
          selections.received().stream()
              .filter(r -> r.key().equals(campaign))
              .map(Fixtures::selection)
              .collect(
                  Collectors.groupingBy(
                      SelectionMade::getRound,
                      Collectors.mapping(Fixtures::ids, Collectors.toList())));
      assertThat(selectionsByRound).containsOnlyKeys(0, 1, 2);
      selectionsByRound.forEach(
          (round, batches) ->
              assertThat(batches).allSatisfy(b -> assertThat(b).isEqualTo(batches.get(0))));
      assertThat(selectionsByRound.get(1))
          .hasSizeGreaterThanOrEqualTo(2); // re-sent after the crash
      List<TrainingRequest> r0requests =
          requests.received().stream()
              .filter(r -> r.key().equals(campaign + "-r0"))
              .map(Fixtures::request)
              .toList();
      assertThat(r0requests).hasSizeGreaterThanOrEqualTo(2);
      assertThat(r0requests)
          .allSatisfy(
              r ->
                  assertThat(r.toBuilder().clearOrigin().build())
                      .isEqualTo(first.toBuilder().clearOrigin().build()));
      assertThat(
              requests.received().stream()
                  .map(ReceivedRecord::key)
                  .filter(k -> k.startsWith(campaign + "-"))
                  .distinct())
          .containsExactlyInAnyOrder(campaign + "-r0", campaign + "-r1", campaign + "-r2");
    }

    // The event log: each step of each round exactly once.
    List<CampaignEvent> events = Fixtures.events(campaign, 14);
    assertThat(events).hasSize(14);
    Map<CampaignEvent.EventCase, Long> counts =
        events.stream()
            .collect(Collectors.groupingBy(CampaignEvent::getEventCase, Collectors.counting()));
    assertThat(counts)
        .containsEntry(CampaignEvent.EventCase.CREATED, 1L)
        .containsEntry(CampaignEvent.EventCase.ROUND_SELECTED, 3L)
        .containsEntry(CampaignEvent.EventCase.ROUND_LABELLED, 3L)
        .containsEntry(CampaignEvent.EventCase.TRAINING_REQUESTED, 3L)
        .containsEntry(CampaignEvent.EventCase.ROUND_EVALUATED, 3L)
        .containsEntry(CampaignEvent.EventCase.COMPLETED, 1L);
    assertThat(
            events.stream()
                .filter(CampaignEvent::hasRoundLabelled)
                .map(e -> e.getRoundLabelled().getLabelsCount()))
        .containsExactly(6, 4, 4);
    given()
        .when()
        .get("/campaigns/c-restart/rounds/2/recompute")
        .then()
        .statusCode(200)
        .body("matches", equalTo(true));
    given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
  }
}
