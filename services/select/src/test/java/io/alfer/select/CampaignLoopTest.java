package io.alfer.select;

import static io.alfer.select.Fixtures.WAIT;
import static io.alfer.select.Fixtures.awaitRequest;
import static io.alfer.select.Fixtures.awaitSelection;
import static io.alfer.select.Fixtures.awaitView;
import static io.alfer.select.Fixtures.bootstrap;
import static io.alfer.select.Fixtures.ids;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;

import io.alfer.al.Pool;
import io.alfer.al.Selection;
import io.alfer.al.strategy.Strategies;
import io.alfer.core.messaging.Topic;
import io.alfer.proto.v1.CampaignEvent;
import io.alfer.proto.v1.FinetuneJob;
import io.alfer.proto.v1.LabelledImage;
import io.alfer.proto.v1.SelectedImage;
import io.alfer.proto.v1.SelectionMade;
import io.alfer.proto.v1.TrainingRequest;
import io.alfer.select.state.SelectState;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.S3TestResource;
import io.alfer.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whole campaigns through the real broker and S3 server, the other services played by the test:
 * every message select publishes at each step is checked, and every round recomputes to the same
 * picks.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class CampaignLoopTest {
  @jakarta.inject.Inject SelectState state;

  @BeforeEach
  void ready() throws Exception {
    assertThat(state.awaitReady(WAIT)).isTrue();
  }

  @Test
  void aTwoRoundCampaignFromScratchGoesFromCreationToCompleted() throws Exception {
    String dataset = "loop-scratch";
    List<String> pool = Fixtures.dataset(dataset, 30, 6);
    String campaign = "c-scratch";
    try (TopicProbe selections = TopicProbe.fromNow(bootstrap(), Topic.SELECTIONS.topicName());
        TopicProbe requests =
            TopicProbe.fromNow(bootstrap(), Topic.TRAINING_REQUESTS.topicName())) {
      Fixtures.awaitPool(dataset, 30);
      given()
          .contentType(ContentType.JSON)
          .body(
              """
              {"campaignId":"c-scratch","dataset":"loop-scratch","strategy":"entropy",
               "initialSize":6,"budgetPerRound":4,"rounds":2,"seed":42,
               "finetunePreset":"cpu-fast","encoderPreset":"tiny","finetuneMaxEpochs":2}
              """)
          .when()
          .post("/campaigns")
          .then()
          .statusCode(201)
          .header("Location", org.hamcrest.Matchers.endsWith("/campaigns/c-scratch"))
          .body("state", equalTo("running"))
          .body("spec.resolvedInitialSize", equalTo(6))
          .body("spec.poolSize", equalTo(30))
          .body("spec.initialStrategy", equalTo("random"))
          .body("spec.annotationsPerImage", equalTo(1));

      // Round 0: the initial random selection, exactly as the determinism contract says.
      SelectionMade r0 = awaitSelection(selections, campaign, 0);
      Selection expected =
          Strategies.create("random", Map.of())
              .select(
                  Pool.builder(pool.toArray(new String[0]), new boolean[pool.size()]).build(),
                  6,
                  42);
      assertThat(ids(r0)).isEqualTo(expected.ids());
      assertThat(r0.getDataset()).isEqualTo(dataset);
      assertThat(r0.getAnnotationsPerImage()).isEqualTo(1);
      assertThat(r0.getVendorsList()).isEmpty();
      assertThat(r0.getProvenance().getStrategy()).isEqualTo("random");
      assertThat(r0.getProvenance().getSeed()).isEqualTo(42);
      assertThat(r0.getProvenance().getModelId()).isEmpty();
      awaitView(campaign, "labelling", v -> v.getString("phase").equals("labelling"));

      Set<String> labelled = new HashSet<>();
      List<String> previous = List.of();
      for (int round = 0; round <= 2; round++) {
        SelectionMade s = round == 0 ? r0 : awaitSelection(selections, campaign, round);
        assertThat(s.getImagesCount()).isEqualTo(round == 0 ? 6 : 4);
        assertThat(ids(s)).noneMatch(labelled::contains);
        if (round > 0) {
          // entropy on round r-1's classifier: the most uncertain unlabelled images, best first
          String model = campaign + "-r" + (round - 1);
          assertThat(s.getProvenance().getModelId()).isEqualTo(model);
          assertThat(s.getProvenance().getStrategy()).isEqualTo("entropy");
          assertThat(s.getProvenance().getSeed()).isEqualTo(42 + round);
          assertThat(s.getProvenance().getEmbeddingsRef())
              .isEqualTo("embeddings/" + model + "/" + dataset + "/pool/");
          assertThat(ids(s)).isEqualTo(mostUncertain(model, pool, labelled, 4));
          assertThat(s.getImagesList())
              .extracting(SelectedImage::getScore)
              .isSortedAccordingTo(Comparator.reverseOrder());
        }
        Fixtures.labels(campaign, round, dataset, ids(s));
        labelled.addAll(ids(s));

        TrainingRequest request = awaitRequest(requests, campaign + "-r" + round);
        FinetuneJob job = request.getFinetune();
        assertThat(job.getCampaignId()).isEqualTo(campaign);
        assertThat(job.getRound()).isEqualTo(round);
        assertThat(job.getDataset()).isEqualTo(dataset);
        assertThat(job.getBaseModelId()).isEmpty();
        assertThat(job.getPreset()).isEqualTo("cpu-fast");
        assertThat(job.getEncoderPreset()).isEqualTo("tiny");
        assertThat(job.getMaxEpochs()).isEqualTo(2);
        assertThat(job.getSeed()).isEqualTo(42);
        assertThat(job.getDeepfool()).isFalse();
        assertThat(job.getLabelledList())
            .extracting(LabelledImage::getImageId)
            .hasSize(labelled.size());
        List<String> jobIds =
            job.getLabelledList().stream().map(LabelledImage::getImageId).toList();
        assertThat(jobIds).containsExactlyInAnyOrderElementsOf(labelled);
        assertThat(jobIds.subList(0, previous.size())).isEqualTo(previous);
        assertThat(job.getLabelledList())
            .allSatisfy(l -> assertThat(l.getLabel()).isEqualTo(Fixtures.truth(l.getImageId())));
        previous = job.getLabelledList().stream().map(LabelledImage::getImageId).toList();

        Fixtures.classifier(campaign, round, dataset, 0.5 + 0.1 * round, null);
        if (round < 2) {
          Fixtures.embeddings(campaign + "-r" + round, dataset, pool, true, false);
        }
      }

      JsonPath done =
          awaitView(campaign, "completed", v -> v.getString("state").equals("completed"));
      assertThat(done.getString("phase")).isEqualTo("done");
      assertThat(done.getInt("labelledTotal")).isEqualTo(14);
      assertThat(done.getList("rounds")).hasSize(3);
      assertThat(done.getList("rounds.labelledTotal", Integer.class)).containsExactly(6, 10, 14);
      assertThat(done.getList("rounds.testAccuracy", Double.class)).containsExactly(0.5, 0.6, 0.7);
      assertThat(done.getList("rounds[1].perClassAccuracy", Double.class))
          .satisfiesExactly(
              a -> assertThat(a).isCloseTo(0.5, within(1e-9)),
              a -> assertThat(a).isCloseTo(0.6, within(1e-9)),
              a -> assertThat(a).isCloseTo(0.7, within(1e-9)));
      assertThat(done.getList("rounds.modelId", String.class))
          .containsExactly("c-scratch-r0", "c-scratch-r1", "c-scratch-r2");
      assertThat(done.getList("rounds.trainingJobId", String.class))
          .containsExactly("c-scratch-r0", "c-scratch-r1", "c-scratch-r2");
      assertThat(done.getString("rounds[1].provenance.strategy")).isEqualTo("entropy");
      assertThat(done.getInt("rounds[1].provenance.poolRows")).isEqualTo(30);
      assertThat(done.getString("message")).contains("completed (rounds)");

      // the event log: one of each step per round, then the end
      List<CampaignEvent> events = Fixtures.events(campaign, 14);
      assertThat(events)
          .extracting(CampaignEvent::getEventCase)
          .containsExactly(
              CampaignEvent.EventCase.CREATED,
              CampaignEvent.EventCase.ROUND_SELECTED,
              CampaignEvent.EventCase.ROUND_LABELLED,
              CampaignEvent.EventCase.TRAINING_REQUESTED,
              CampaignEvent.EventCase.ROUND_EVALUATED,
              CampaignEvent.EventCase.ROUND_SELECTED,
              CampaignEvent.EventCase.ROUND_LABELLED,
              CampaignEvent.EventCase.TRAINING_REQUESTED,
              CampaignEvent.EventCase.ROUND_EVALUATED,
              CampaignEvent.EventCase.ROUND_SELECTED,
              CampaignEvent.EventCase.ROUND_LABELLED,
              CampaignEvent.EventCase.TRAINING_REQUESTED,
              CampaignEvent.EventCase.ROUND_EVALUATED,
              CampaignEvent.EventCase.COMPLETED);
      assertThat(events.get(13).getCompleted().getReason()).isEqualTo("rounds");
      assertThat(events.get(13).getCompleted().getFinalTestAccuracy()).isEqualTo(0.7);
    }
    for (int round = 0; round <= 2; round++) {
      given()
          .when()
          .get("/campaigns/c-scratch/rounds/" + round + "/recompute")
          .then()
          .statusCode(200)
          .body("matches", equalTo(true))
          .body("firstDifference", equalTo(-1));
    }
    given()
        .when()
        .get("/campaigns/c-scratch/rounds/1")
        .then()
        .statusCode(200)
        .body("round", equalTo(1))
        .body("labelled", equalTo(4))
        .body("provenance.seed", equalTo(43))
        .body("provenance.poolIds", equalTo("reports/campaigns/c-scratch/round-1/pool-ids.txt"));
  }

  @Test
  void aColdStartOnAPretrainedEncoderWithBaldStopsAtTheTotalBudget() throws Exception {
    String dataset = "loop-cold";
    List<String> pool = Fixtures.dataset(dataset, 40, 6);
    String encoder = "enc-loop-cold";
    Fixtures.encoder(encoder, dataset);
    Fixtures.embeddings(encoder, dataset, pool, false, false);
    String campaign = "c-cold";
    try (TopicProbe selections = TopicProbe.fromNow(bootstrap(), Topic.SELECTIONS.topicName());
        TopicProbe requests =
            TopicProbe.fromNow(bootstrap(), Topic.TRAINING_REQUESTS.topicName())) {
      Fixtures.awaitPool(dataset, 40);
      Fixtures.awaitModel(encoder, dataset);
      given()
          .contentType(ContentType.JSON)
          .body(
              """
              {"campaignId":"c-cold","dataset":"loop-cold","strategy":"bald",
               "initialStrategy":"coreset","baseModelId":"enc-loop-cold",
               "initialFraction":0.1,"budgetFraction":0.1,"rounds":3,"totalBudget":10,
               "seed":11,"vendors":["acme"],"annotationsPerImage":2}
              """)
          .when()
          .post("/campaigns")
          .then()
          .statusCode(201)
          .body("spec.resolvedInitialSize", equalTo(4))
          .body("spec.resolvedBudgetPerRound", equalTo(4));

      SelectionMade r0 = awaitSelection(selections, campaign, 0);
      assertThat(r0.getImagesCount()).isEqualTo(4);
      assertThat(r0.getProvenance().getStrategy()).isEqualTo("coreset");
      assertThat(r0.getProvenance().getModelId()).isEqualTo(encoder);
      assertThat(r0.getVendorsList()).containsExactly("acme");
      assertThat(r0.getAnnotationsPerImage()).isEqualTo(2);
      int[] sizes = {4, 4, 2};
      List<String> all = new ArrayList<>();
      for (int round = 0; round <= 2; round++) {
        SelectionMade s = round == 0 ? r0 : awaitSelection(selections, campaign, round);
        assertThat(s.getImagesCount()).as("round %d size", round).isEqualTo(sizes[round]);
        if (round > 0) {
          assertThat(s.getProvenance().getStrategy()).isEqualTo("bald");
          assertThat(s.getProvenance().getParametersMap())
              .containsEntry("samples", "10")
              .containsEntry("dropout", "0.5");
        }
        Fixtures.labels(campaign, round, dataset, ids(s));
        all.addAll(ids(s));
        FinetuneJob job = awaitRequest(requests, campaign + "-r" + round).getFinetune();
        assertThat(job.getBaseModelId()).isEqualTo(encoder);
        assertThat(job.getPreset()).isEmpty(); // the trainer's default
        assertThat(job.getSeed()).isEqualTo(11);
        assertThat(job.getLabelledCount()).isEqualTo(all.size());
        Fixtures.classifier(campaign, round, dataset, 0.4 + 0.05 * round, null);
        Fixtures.embeddings(campaign + "-r" + round, dataset, pool, true, false);
      }
      JsonPath done =
          awaitView(campaign, "completed", v -> v.getString("state").equals("completed"));
      assertThat(done.getString("message")).contains("completed (budget)");
      assertThat(done.getInt("labelledTotal")).isEqualTo(10);
      assertThat(done.getList("rounds")).hasSize(3);
    }
    for (int round = 0; round <= 2; round++) {
      given()
          .when()
          .get("/campaigns/c-cold/rounds/" + round + "/recompute")
          .then()
          .statusCode(200)
          .body("matches", equalTo(true));
    }
  }

  @Test
  void deepFoolAsksForPerturbationsAndRanksThemWithIncrementsInThePool() throws Exception {
    String dataset = "loop-deepfool";
    List<String> pool = Fixtures.dataset(dataset, 20, 4);
    String campaign = "c-deepfool";
    try (TopicProbe selections = TopicProbe.fromNow(bootstrap(), Topic.SELECTIONS.topicName());
        TopicProbe requests =
            TopicProbe.fromNow(bootstrap(), Topic.TRAINING_REQUESTS.topicName())) {
      Fixtures.awaitPool(dataset, 20);
      given()
          .contentType(ContentType.JSON)
          .body(
              """
              {"campaignId":"c-deepfool","dataset":"loop-deepfool","strategy":"deepfool",
               "initialSize":4,"budgetPerRound":3,"rounds":1,"seed":5}
              """)
          .when()
          .post("/campaigns")
          .then()
          .statusCode(201);
      SelectionMade r0 = awaitSelection(selections, campaign, 0);
      Fixtures.labels(campaign, 0, dataset, ids(r0));
      TrainingRequest r0job = awaitRequest(requests, campaign + "-r0");
      assertThat(r0job.getFinetune().getDeepfool()).isTrue();

      // DeepFool sizes for every unlabelled image: the three smallest are known.
      Map<String, Float> sizes = new LinkedHashMap<>();
      List<String> unlabelled = pool.stream().filter(id -> !ids(r0).contains(id)).toList();
      for (int i = 0; i < unlabelled.size(); i++) {
        sizes.put(unlabelled.get(i), 1.0f + ((i * 7) % unlabelled.size()));
      }
      List<String> smallest =
          sizes.entrySet().stream()
              .sorted(Map.Entry.comparingByValue())
              .limit(3)
              .map(Map.Entry::getKey)
              .toList();
      Fixtures.classifier(campaign, 0, dataset, 0.3, sizes);
      // the full pass misses the last five images; an increment brings them (written first here,
      // so that the selection, which runs as soon as the full pass is in, surely sees it)
      String model = campaign + "-r0";
      Fixtures.embeddings(model, dataset, pool.subList(15, 20), true, true);
      Fixtures.embeddings(model, dataset, pool.subList(0, 15), true, false);

      SelectionMade r1 = awaitSelection(selections, campaign, 1);
      assertThat(ids(r1)).isEqualTo(smallest);
      assertThat(r1.getImagesList().get(0).getScore()).isEqualTo(1.0);
      Fixtures.labels(campaign, 1, dataset, ids(r1));
      assertThat(awaitRequest(requests, campaign + "-r1").getFinetune().getLabelledCount())
          .isEqualTo(7);
      Fixtures.classifier(campaign, 1, dataset, 0.35, null);
      JsonPath done =
          awaitView(campaign, "completed", v -> v.getString("state").equals("completed"));
      assertThat(done.getInt("rounds[1].provenance.poolRows")).isEqualTo(20);
    }
    given()
        .when()
        .get("/campaigns/c-deepfool/rounds/1/recompute")
        .then()
        .statusCode(200)
        .body("matches", equalTo(true))
        .body("selected", equalTo(3));
  }

  @Test
  void deepFoolWithCandidatesAsksForThemAndFillsTheBudgetFromTheAttackedImages() throws Exception {
    String dataset = "loop-deepfool-k";
    List<String> pool = Fixtures.dataset(dataset, 20, 4);
    String campaign = "c-deepfool-k";
    try (TopicProbe selections = TopicProbe.fromNow(bootstrap(), Topic.SELECTIONS.topicName());
        TopicProbe requests =
            TopicProbe.fromNow(bootstrap(), Topic.TRAINING_REQUESTS.topicName())) {
      Fixtures.awaitPool(dataset, 20);
      given()
          .contentType(ContentType.JSON)
          .body(
              """
              {"campaignId":"c-deepfool-k","dataset":"loop-deepfool-k","strategy":"deepfool",
               "strategyParameters":{"candidates":"3"},
               "initialSize":4,"budgetPerRound":3,"rounds":1,"seed":8}
              """)
          .when()
          .post("/campaigns")
          .then()
          .statusCode(201);
      SelectionMade r0 = awaitSelection(selections, campaign, 0);
      Fixtures.labels(campaign, 0, dataset, ids(r0));
      FinetuneJob r0job = awaitRequest(requests, campaign + "-r0").getFinetune();
      assertThat(r0job.getDeepfool()).isTrue();
      assertThat(r0job.getDeepfoolCandidates()).isEqualTo(3);

      // the trainer attacked 3 of the 16 unlabelled images: only they carry a size
      List<String> unlabelled = pool.stream().filter(id -> !ids(r0).contains(id)).toList();
      Map<String, Float> sizes = new LinkedHashMap<>();
      sizes.put(unlabelled.get(2), 0.7f);
      sizes.put(unlabelled.get(9), 0.2f);
      sizes.put(unlabelled.get(14), 0.5f);
      Fixtures.classifier(campaign, 0, dataset, 0.3, sizes);
      Fixtures.embeddings(campaign + "-r0", dataset, pool, true, false);

      SelectionMade r1 = awaitSelection(selections, campaign, 1);
      assertThat(ids(r1)).containsExactly(unlabelled.get(9), unlabelled.get(14), unlabelled.get(2));
      assertThat(r1.getProvenance().getParametersMap()).containsEntry("candidates", "3");
      Fixtures.labels(campaign, 1, dataset, ids(r1));
      assertThat(awaitRequest(requests, campaign + "-r1").getFinetune().getDeepfoolCandidates())
          .isEqualTo(3);
      Fixtures.classifier(campaign, 1, dataset, 0.35, null);
      JsonPath done =
          awaitView(campaign, "completed", v -> v.getString("state").equals("completed"));
      // the pool of round 1: the 4 labelled images and the 3 candidates
      assertThat(done.getInt("rounds[1].provenance.poolRows")).isEqualTo(7);
      assertThat(done.getInt("rounds[1].labelled")).isEqualTo(3);
    }
    given()
        .when()
        .get("/campaigns/c-deepfool-k/rounds/1/recompute")
        .then()
        .statusCode(200)
        .body("matches", equalTo(true))
        .body("selected", equalTo(3));
  }

  @Test
  void aFailedTrainingJobFailsTheCampaignWithItsReason() throws Exception {
    String dataset = "loop-fail";
    Fixtures.dataset(dataset, 10, 2);
    String campaign = "c-fail";
    try (TopicProbe selections = TopicProbe.fromNow(bootstrap(), Topic.SELECTIONS.topicName());
        TopicProbe requests =
            TopicProbe.fromNow(bootstrap(), Topic.TRAINING_REQUESTS.topicName())) {
      Fixtures.awaitPool(dataset, 10);
      given()
          .contentType(ContentType.JSON)
          .body(
              """
              {"campaignId":"c-fail","dataset":"loop-fail","strategy":"margin",
               "initialSize":3,"budgetPerRound":2,"rounds":1}
              """)
          .when()
          .post("/campaigns")
          .then()
          .statusCode(201);
      SelectionMade r0 = awaitSelection(selections, campaign, 0);
      Fixtures.labels(campaign, 0, dataset, ids(r0));
      awaitRequest(requests, campaign + "-r0");
      Fixtures.progress(
          campaign + "-r0", io.alfer.proto.v1.JobState.JOB_STATE_FAILED, "out of memory");
      JsonPath failed = awaitView(campaign, "failed", v -> v.getString("state").equals("failed"));
      assertThat(failed.getString("message")).contains("training_failed").contains("out of memory");
      assertThat(failed.getString("phase")).isEqualTo("done");
    }
  }

  /** The ids entropy ranks first: the largest {@code -Σ p log p}, ties by row. */
  static List<String> mostUncertain(String model, List<String> pool, Set<String> labelled, int n) {
    return pool.stream()
        .filter(id -> !labelled.contains(id))
        .sorted(
            Comparator.comparingDouble((String id) -> -entropy(Fixtures.probabilities(model, id))))
        .limit(n)
        .toList();
  }

  static double entropy(float[] p) {
    double h = 0;
    for (float v : p) {
      h -= v > 0 ? v * Math.log(v) : 0;
    }
    return h;
  }
}
