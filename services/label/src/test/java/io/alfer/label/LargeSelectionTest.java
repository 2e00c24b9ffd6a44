package io.alfer.label;

import static io.alfer.label.Fixtures.bootstrap;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.core.claim.ClaimCheck;
import io.alfer.core.claim.ClaimRefused;
import io.alfer.core.claim.Claims;
import io.alfer.core.messaging.Topic;
import io.alfer.core.storage.Hashes;
import io.alfer.core.storage.ObjectStore;
import io.alfer.label.state.LabelState;
import io.alfer.proto.v1.LabelTask;
import io.alfer.proto.v1.SelectedImage;
import io.alfer.proto.v1.SelectionMade;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.RawProducer;
import io.alfer.testkit.ReceivedRecord;
import io.alfer.testkit.S3TestResource;
import io.alfer.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Selections whose images arrive as a claim check, written as the select service writes them
 * (io.alfer.core.claim.Claims): read back whole they become every task; a missing, corrupt or
 * undecodable object refuses the selection with its reason, issues nothing, and the next selection
 * is read.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class LargeSelectionTest {
  static final Duration WAIT = Duration.ofSeconds(60);

  /** The select service's writer, with a limit that 300 images exceed. */
  private final Claims claims = new Claims(S3TestResource.objectStore(), 1024);

  @Inject LabelState state;

  @BeforeEach
  void datasetAndReplay() throws Exception {
    Fixtures.defineDataset();
    assertThat(state.awaitReady(WAIT)).isTrue();
  }

  static SelectionMade selection(String campaign, int round, List<String> images) {
    SelectionMade.Builder s =
        SelectionMade.newBuilder()
            .setCampaignId(campaign)
            .setRound(round)
            .setDataset(Fixtures.DATASET)
            .addVendors("oracle")
            .setAnnotationsPerImage(1);
    images.forEach(i -> s.addImages(SelectedImage.newBuilder().setImageId(i).setScore(1)));
    return s.build();
  }

  static byte[] send(SelectionMade s) {
    byte[] value = s.toByteArray();
    try (RawProducer p = new RawProducer(bootstrap())) {
      p.send(Topic.SELECTIONS.topicName(), s.getCampaignId(), value);
    }
    return value;
  }

  static List<String> images(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> prefix + "-" + i).toList();
  }

  @Test
  void aClaimCheckedSelectionBecomesATaskForEveryImage() throws Exception {
    String campaign = "c-claimed";
    List<String> ids = images("claimed", 300);
    SelectionMade sent = claims.pack(ClaimCheck.SELECTION_MADE, selection(campaign, 0, ids));
    assertThat(sent.getImagesCount()).isZero();
    assertThat(sent.getClaim().getKey()).startsWith("claims/selection-made/");
    try (TopicProbe taskProbe = Fixtures.taskProbe();
        TopicProbe labelProbe = TopicProbe.fromNow(bootstrap(), Topic.LABELS.topicName())) {
      send(sent);
      List<LabelTask> tasks = LabelServiceTest.tasks(taskProbe, campaign, ids.size(), WAIT);
      assertThat(tasks).extracting(LabelTask::getImageId).containsExactlyInAnyOrderElementsOf(ids);
      assertThat(tasks).allSatisfy(t -> assertThat(t.getRound()).isZero());

      // answered, so that no open task is left for the tests that move the clock
      Fixtures.answerAll(tasks, "calm");
      assertThat(labelProbe.await(r -> r.key().startsWith(campaign + "/"), ids.size(), WAIT))
          .hasSize(ids.size());
    }
  }

  @Test
  void aSelectionWhoseClaimCannotBeHonouredIsRefusedWithItsReasonAndIssuesNothing()
      throws Exception {
    ObjectStore store = S3TestResource.objectStore();
    String campaign = "c-claim-refused";
    // one campaign (one key, one partition): the selections are read in the order written
    SelectionMade missing =
        claims.pack(ClaimCheck.SELECTION_MADE, selection(campaign, 0, images("m", 100)));
    store.delete(missing.getClaim().getKey());

    SelectionMade corrupt =
        claims.pack(ClaimCheck.SELECTION_MADE, selection(campaign, 1, images("c", 100)));
    byte[] damaged = store.get(corrupt.getClaim().getKey());
    damaged[0] ^= 0x01;
    store.put(corrupt.getClaim().getKey(), damaged, Claims.CONTENT_TYPE);

    // bytes whose checksum matches, but that are not a selection's images
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff};
    String garbageKey = "claims/selection-made/" + Hashes.sha256Hex(garbage) + ".pb";
    SelectionMade undecodable =
        selection(campaign, 2, List.of()).toBuilder()
            .setClaim(store.put(garbageKey, garbage, Claims.CONTENT_TYPE))
            .build();

    List<String> goodIds = images("g", 100);
    SelectionMade good = claims.pack(ClaimCheck.SELECTION_MADE, selection(campaign, 3, goodIds));

    try (TopicProbe taskProbe = Fixtures.taskProbe();
        TopicProbe dlq = TopicProbe.fromNow(bootstrap(), Topic.SELECTIONS.dlqName())) {
      byte[] missingValue = send(missing);
      send(corrupt);
      send(undecodable);
      send(good);

      List<ReceivedRecord> refused =
          dlq.await(
              r -> campaign.equals(r.key()) && "label".equals(r.header("dead-letter-consumer")),
              3,
              WAIT);
      assertThat(refused)
          .extracting(r -> r.header("dead-letter-reason"))
          .containsExactly(ClaimRefused.MISSING, ClaimRefused.CORRUPT, ClaimRefused.UNDECODABLE);
      assertThat(refused.get(0).value()).isEqualTo(missingValue);
      assertThat(refused.get(0).header("dead-letter-cause")).contains(missing.getClaim().getKey());
      assertThat(refused.get(1).header("dead-letter-cause")).contains("SHA-256");

      // the consumer went on: the next selection's tasks, and none of the refused ones
      List<LabelTask> tasks = LabelServiceTest.tasks(taskProbe, campaign, goodIds.size(), WAIT);
      assertThat(tasks)
          .extracting(LabelTask::getImageId)
          .containsExactlyInAnyOrderElementsOf(goodIds);
      assertThat(taskProbe.received())
          .map(Fixtures::task)
          .filteredOn(t -> t.getCampaignId().equals(campaign))
          .allSatisfy(t -> assertThat(t.getRound()).isEqualTo(3));
      Fixtures.answerAll(tasks, "calm");
    }
    assertThat(state.ready()).isTrue();
    given().when().get("/q/health/ready").then().statusCode(200);
    given()
        .when()
        .get("/q/metrics")
        .then()
        .body(
            org.hamcrest.Matchers.containsString(
                "alfer_label_selections_refused_total{reason=\"claim_missing\"}"));
  }
}
