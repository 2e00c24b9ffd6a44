package io.alfer.select;

import static io.alfer.select.Fixtures.WAIT;
import static io.alfer.select.Fixtures.awaitRequest;
import static io.alfer.select.Fixtures.awaitSelection;
import static io.alfer.select.Fixtures.awaitView;
import static io.alfer.select.Fixtures.bootstrap;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.alfer.al.Pool;
import io.alfer.al.Selection;
import io.alfer.al.strategy.Strategies;
import io.alfer.core.claim.ClaimCheck;
import io.alfer.core.claim.ClaimRefused;
import io.alfer.core.claim.Claims;
import io.alfer.core.messaging.Topic;
import io.alfer.proto.v1.CampaignEvent;
import io.alfer.proto.v1.CampaignSpec;
import io.alfer.proto.v1.CampaignState;
import io.alfer.proto.v1.FinetuneJob;
import io.alfer.proto.v1.LabelledImage;
import io.alfer.proto.v1.ObjectRef;
import io.alfer.proto.v1.ResolvedSizes;
import io.alfer.proto.v1.RoundLabelled;
import io.alfer.proto.v1.RoundSelected;
import io.alfer.proto.v1.SelectedImage;
import io.alfer.proto.v1.SelectionMade;
import io.alfer.proto.v1.StateChanged;
import io.alfer.proto.v1.TrainingRequest;
import io.alfer.select.state.SelectState;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.RawProducer;
import io.alfer.testkit.ReceivedRecord;
import io.alfer.testkit.S3TestResource;
import io.alfer.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rounds too large for one record, with a low inline limit ({@value #LIMIT} bytes: 20 images or
 * labels are claim-checked, 4 are not): the selection, the round's events and the labelled set go
 * to {@code claims/} and come back whole, as the label service and the trainer read them; small
 * rounds stay exactly as they were. A campaign event whose object is missing or corrupt is refused
 * with its reason and nothing of it applied.
 */
@QuarkusTest
@TestProfile(LargeRoundTest.LowInlineLimit.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class LargeRoundTest {
  static final int LIMIT = 256;

  /** The select service with a low inline limit. */
  public static class LowInlineLimit implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("alfer.claims.inline-max-bytes", Integer.toString(LIMIT));
    }
  }

  @Inject SelectState state;

  /** How the label service and the trainer read what select writes (they need no limit). */
  private final Claims reader = new Claims(S3TestResource.objectStore(), 0);

  @BeforeEach
  void ready() throws Exception {
    assertThat(state.awaitReady(WAIT)).isTrue();
  }

  @Test
  void aRoundLargerThanTheLimitTravelsToLabelAndTrainerAsAClaimCheckAndBack() throws Exception {
    String dataset = "claims-loop";
    List<String> pool = Fixtures.dataset(dataset, 40, 6);
    String campaign = "c-claims";
    try (TopicProbe selections = TopicProbe.fromNow(bootstrap(), Topic.SELECTIONS.topicName());
        TopicProbe requests =
            TopicProbe.fromNow(bootstrap(), Topic.TRAINING_REQUESTS.topicName())) {
      Fixtures.awaitPool(dataset, 40);
      given()
          .contentType(ContentType.JSON)
          .body(
              """
              {"campaignId":"c-claims","dataset":"claims-loop","strategy":"entropy",
               "initialSize":20,"budgetPerRound":4,"rounds":1,"seed":11}
              """)
          .when()
          .post("/campaigns")
          .then()
          .statusCode(201);

      // Round 0 (20 images): the selection's images are in object storage, the record names them.
      SelectionMade r0 = awaitSelection(selections, campaign, 0);
      assertThat(r0.getImagesCount()).isZero();
      assertThat(r0.getClaim().getKey()).startsWith("claims/selection-made/");
      assertThat(r0.getSerializedSize()).isLessThan(LIMIT);
      SelectionMade r0Read = reader.resolve(ClaimCheck.SELECTION_MADE, r0);
      Selection expected =
          Strategies.create("random", Map.of())
              .select(
                  Pool.builder(pool.toArray(new String[0]), new boolean[pool.size()]).build(),
                  20,
                  11);
      List<String> r0Ids = Fixtures.ids(r0Read);
      assertThat(r0Ids).isEqualTo(expected.ids());
      assertThat(r0Read.getDataset()).isEqualTo(dataset);
      assertThat(r0Read.getProvenance().getStrategy()).isEqualTo("random");

      // The label service's labels come back; the round's labels and the fine-tuning's labelled set
      // are claim-checked too.
      Fixtures.labels(campaign, 0, dataset, r0Ids);
      TrainingRequest job0 = awaitRequest(requests, campaign + "-r0");
      assertThat(job0.getFinetune().getLabelledCount()).isZero();
      assertThat(job0.getFinetune().getClaim().getKey()).startsWith("claims/finetune-job/");
      FinetuneJob job0Read = reader.resolve(job0).getFinetune();
      assertThat(job0Read.getLabelledList()).extracting(LabelledImage::getImageId).isEqualTo(r0Ids);
      assertThat(job0Read.getLabelledList())
          .allSatisfy(l -> assertThat(l.getLabel()).isEqualTo(Fixtures.truth(l.getImageId())));
      assertThat(job0Read.getCampaignId()).isEqualTo(campaign);

      Fixtures.classifier(campaign, 0, dataset, 0.5, null);
      Fixtures.embeddings(campaign + "-r0", dataset, pool, true, false);

      // Round 1 (4 images) is small: everything stays in the records, as before claims.
      SelectionMade r1 = awaitSelection(selections, campaign, 1);
      assertThat(r1.hasClaim()).isFalse();
      assertThat(r1.getImagesCount()).isEqualTo(4);
      assertThat(Fixtures.ids(r1)).doesNotContainAnyElementsOf(r0Ids);
      Fixtures.labels(campaign, 1, dataset, Fixtures.ids(r1));
      TrainingRequest job1 = awaitRequest(requests, campaign + "-r1");
      List<String> all = new ArrayList<>(r0Ids);
      all.addAll(Fixtures.ids(r1));
      assertThat(reader.resolve(job1).getFinetune().getLabelledList())
          .extracting(LabelledImage::getImageId)
          .isEqualTo(all);
    }

    // The campaign log holds claims for round 0, inline entries for round 1.
    List<CampaignEvent> events = Fixtures.events(campaign, 8);
    RoundSelected selected0 = events.get(1).getRoundSelected();
    RoundLabelled labelled0 = events.get(2).getRoundLabelled();
    assertThat(selected0.getImagesCount()).isZero();
    assertThat(selected0.getClaim().getKey()).startsWith("claims/round-selected/");
    assertThat(labelled0.getLabelsCount()).isZero();
    assertThat(labelled0.getClaim().getKey()).startsWith("claims/round-labelled/");
    assertThat(reader.resolve(ClaimCheck.ROUND_LABELLED, labelled0).getLabelsCount()).isEqualTo(20);
    assertThat(events.get(5).getRoundSelected().getImagesCount()).isEqualTo(4);
    assertThat(events.get(5).getRoundSelected().hasClaim()).isFalse();

    // A restarted service reads its own claims back: the same campaign, and it goes on.
    JsonPath before = Fixtures.view(campaign);
    state.stop();
    state.start();
    assertThat(state.awaitReady(WAIT)).isTrue();
    JsonPath after = Fixtures.view(campaign);
    assertThat(after.getList("rounds[0].selected.imageId", String.class))
        .hasSize(20)
        .isEqualTo(before.getList("rounds[0].selected.imageId", String.class));
    assertThat(after.getInt("rounds[0].labelledTotal")).isEqualTo(20);
    assertThat(after.getString("phase")).isEqualTo("training");
    // What a dashboard polls: the claim-checked round's counts, none of its ids.
    String round0 = "find { it.campaignId == '" + campaign + "' }.rounds[0].";
    JsonPath summary =
        given().when().get("/campaigns?view=summary").then().statusCode(200).extract().jsonPath();
    assertThat(summary.getInt(round0 + "selectedCount")).isEqualTo(20);
    assertThat(summary.getInt(round0 + "labelled")).isEqualTo(20);
    assertThat(summary.getInt(round0 + "unansweredCount")).isZero();
    assertThat(summary.getInt(round0 + "labelledTotal")).isEqualTo(20);
    assertThat(summary.getList(round0 + "selected")).isNull();
    assertThat(summary.getList(round0 + "unanswered")).isNull();
    assertThat(summary.getMap(round0 + "provenance")).isNull();
    assertThat(after.getInt("rounds[0].selectedCount")).isEqualTo(20);
    given()
        .when()
        .get("/campaigns?view=brief")
        .then()
        .statusCode(400)
        .body("error", equalTo("unknown_view"))
        .body("message", containsString("'brief'"));
    Fixtures.classifier(campaign, 1, dataset, 0.6, null);
    JsonPath done = awaitView(campaign, "completed", v -> v.getString("state").equals("completed"));
    assertThat(done.getInt("labelledTotal")).isEqualTo(24);
    given()
        .when()
        .get("/campaigns/" + campaign + "/rounds/0/recompute")
        .then()
        .statusCode(200)
        .body("matches", equalTo(true));
  }

  @Test
  void aCampaignEventWhoseClaimIsMissingOrCorruptIsRefusedAndNothingOfItIsApplied()
      throws Exception {
    String dataset = "claims-bad";
    List<String> pool = Fixtures.dataset(dataset, 30, 4);
    String campaign = "c-claims-bad";
    // A paused campaign (the loop leaves it alone; until the pause it waits for the embeddings of
    // an encoder that does not exist), then three attempts at its round 0.
    List<SelectedImage> picks =
        pool.subList(0, 20).stream()
            .map(id -> SelectedImage.newBuilder().setImageId(id).setScore(0).build())
            .toList();
    RoundSelected full =
        RoundSelected.newBuilder().setRound(0).setSelected(20).addAllImages(picks).build();
    Claims writer = new Claims(S3TestResource.objectStore(), 0);
    RoundSelected claimed = writer.pack(ClaimCheck.ROUND_SELECTED, full);
    ObjectRef good = claimed.getClaim();
    assertThat(good.getKey()).startsWith("claims/round-selected/");

    RoundSelected missing =
        claimed.toBuilder()
            .setClaim(good.toBuilder().setKey("claims/round-selected/" + "0".repeat(64) + ".pb"))
            .build();
    // another batch, whose object is damaged after it was written
    RoundSelected corrupt =
        writer.pack(
            ClaimCheck.ROUND_SELECTED,
            full.toBuilder().clearImages().addAllImages(picks.subList(0, 19)).build());
    byte[] damaged = S3TestResource.objectStore().get(corrupt.getClaim().getKey());
    damaged[damaged.length - 1] ^= 0x01;
    S3TestResource.objectStore().put(corrupt.getClaim().getKey(), damaged, Claims.CONTENT_TYPE);

    try (TopicProbe dlq = TopicProbe.fromNow(bootstrap(), Topic.CAMPAIGNS.dlqName());
        RawProducer p = new RawProducer(bootstrap())) {
      // one at a time: the events of a campaign may sit in different partitions
      send(p, campaign, 0, b -> b.setCreated(spec(campaign, dataset)));
      await(campaign + " created")
          .atMost(WAIT)
          .until(() -> given().when().get("/campaigns/" + campaign).statusCode() == 200);
      send(
          p,
          campaign,
          1,
          b ->
              b.setStateChanged(
                  StateChanged.newBuilder()
                      .setState(CampaignState.CAMPAIGN_STATE_PAUSED)
                      .setReason("claims test")));
      awaitView(campaign, "paused", v -> v.getString("state").equals("paused"));
      byte[] missingValue = send(p, campaign, 2, b -> b.setRoundSelected(missing));
      byte[] corruptValue = send(p, campaign, 3, b -> b.setRoundSelected(corrupt));

      ReceivedRecord refusedMissing = awaitDeadLetter(dlq, campaign + "/2");
      assertThat(refusedMissing.header("dead-letter-reason")).isEqualTo(ClaimRefused.MISSING);
      assertThat(refusedMissing.header("dead-letter-cause")).contains(missing.getClaim().getKey());
      assertThat(refusedMissing.value()).isEqualTo(missingValue);
      ReceivedRecord refusedCorrupt = awaitDeadLetter(dlq, campaign + "/3");
      assertThat(refusedCorrupt.header("dead-letter-reason")).isEqualTo(ClaimRefused.CORRUPT);
      assertThat(refusedCorrupt.header("dead-letter-cause")).contains("SHA-256");
      assertThat(refusedCorrupt.value()).isEqualTo(corruptValue);

      // nothing of either was applied: the campaign is paused with no round
      JsonPath view = Fixtures.view(campaign);
      assertThat(view.getString("state")).isEqualTo("paused");
      assertThat(view.getList("rounds")).isEmpty();

      // the next record is read and applied: its claim is honoured
      send(p, campaign, 4, b -> b.setRoundSelected(claimed));
      JsonPath selected =
          awaitView(campaign, "round 0 applied", v -> v.getList("rounds").size() == 1);
      assertThat(selected.getList("rounds[0].selected.imageId", String.class))
          .isEqualTo(pool.subList(0, 20));
      assertThat(selected.getString("state")).isEqualTo("paused");
    }
    assertThat(state.ready()).isTrue();
    given().when().get("/q/health/ready").then().statusCode(200);
    given()
        .when()
        .get("/q/metrics")
        .then()
        .body(
            containsString(
                "alfer_select_dead_letters_total{reason=\"claim_corrupt\",topic=\"alfer.campaigns\"}"));
  }

  private static CampaignSpec spec(String campaign, String dataset) {
    return CampaignSpec.newBuilder()
        .setCampaignId(campaign)
        .setDataset(dataset)
        .setStrategy("random")
        .setInitialStrategy("typiclust")
        .setBaseModelId("no-such-encoder")
        .setInitialSize(20)
        .setRounds(0)
        .setAnnotationsPerImage(1)
        .setResolved(ResolvedSizes.newBuilder().setPoolSize(30).setInitialSize(20))
        .build();
  }

  /** Writes event {@code sequence} of a campaign to alfer.campaigns; returns its value. */
  private static byte[] send(
      RawProducer p,
      String campaign,
      long sequence,
      Function<CampaignEvent.Builder, CampaignEvent.Builder> payload) {
    byte[] value =
        payload
            .apply(CampaignEvent.newBuilder().setCampaignId(campaign).setSequence(sequence))
            .build()
            .toByteArray();
    p.send(Topic.CAMPAIGNS.topicName(), campaign + "/" + sequence, value);
    return value;
  }

  private static ReceivedRecord awaitDeadLetter(TopicProbe dlq, String key) {
    return dlq.await(
            r -> key.equals(r.key()) && "select".equals(r.header("dead-letter-consumer")), 1, WAIT)
        .get(0);
  }
}
