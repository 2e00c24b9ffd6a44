package io.alfer.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.alfer.core.api.TrainingJobRequest;
import io.alfer.core.messaging.Topic;
import io.alfer.core.storage.Hashes;
import io.alfer.core.storage.IdList;
import io.alfer.core.storage.Matrix;
import io.alfer.ml.checkpoint.Checkpoint;
import io.alfer.ml.checkpoint.ModelMetadata;
import io.alfer.ml.deepfool.DeepFool;
import io.alfer.ml.deepfool.DeepFoolCandidates;
import io.alfer.ml.deepfool.DeepFoolConfig;
import io.alfer.ml.model.ClassifierModel;
import io.alfer.proto.v1.FinetuneJob;
import io.alfer.proto.v1.JobState;
import io.alfer.proto.v1.LabelledImage;
import io.alfer.proto.v1.ModelPublished;
import io.alfer.proto.v1.TrainingProgress;
import io.alfer.proto.v1.TrainingRequest;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.S3TestResource;
import io.alfer.testkit.TopicProbe;
import io.alfer.trainer.dataset.DatasetFollower;
import io.alfer.trainer.job.EpochObserver;
import io.alfer.trainer.job.JobExecutor;
import io.alfer.trainer.job.JobRecord;
import io.alfer.trainer.job.JobRequests;
import io.alfer.trainer.job.JobService;
import io.alfer.trainer.job.JobStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Fine-tuning rounds that ask for DeepFool sizes: the sizes cover exactly the unlabelled pool, and
 * a round cancelled or interrupted during the DeepFool phase leaves no model behind.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class DeepfoolRoundTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @Inject JobService service;
  @Inject JobRequests requests;
  @Inject DatasetFollower follower;
  @Inject JobStore store;

  @Test
  void sizesCoverExactlyTheUnlabelledPoolInIdOrder() throws Exception {
    Fixtures.Dataset dataset = Fixtures.dataset("df-a", 24, 6);
    // every third pool image is labelled, so the unlabelled rows interleave with labelled ones
    List<LabelledImage> labelled = new ArrayList<>();
    List<String> unlabelled = new ArrayList<>();
    List<Integer> unlabelledRows = new ArrayList<>();
    for (LabelledImage image : dataset.labelled(24)) {
      int row = dataset.poolIds().indexOf(image.getImageId());
      if (row % 3 == 1) {
        labelled.add(image);
      } else {
        unlabelled.add(image.getImageId());
        unlabelledRows.add(row);
      }
    }
    TrainingRequest round = round("df-a-round-1", "df-a", labelled);
    String bootstrap = KafkaTestResource.bootstrapServers();
    ModelPublished model;
    try (TopicProbe models = TopicProbe.fromNow(bootstrap, Topic.MODELS.topicName());
        TopicProbe progress = TopicProbe.fromNow(bootstrap, Topic.TRAINING_PROGRESS.topicName())) {
      given()
          .contentType("application/json")
          .body(TrainingJobRequest.of(round))
          .when()
          .post("/jobs")
          .then()
          .statusCode(202);
      model = Records.model(models.await(r -> r.key().equals("df-a-round-1"), 1, TIMEOUT).get(0));
      progress.await(
          r ->
              r.key().equals("df-a-round-1")
                  && Records.progress(r).getState() == JobState.JOB_STATE_SUCCEEDED,
          1,
          TIMEOUT);
      List<String> phase =
          progress.received().stream()
              .filter(r -> r.key().equals("df-a-round-1"))
              .map(Records::progress)
              .filter(p -> p.getState() == JobState.JOB_STATE_RUNNING)
              .map(TrainingProgress::getMessage)
              .filter(m -> m.startsWith("deepfool"))
              .toList();
      assertThat(phase).first().asString().startsWith("deepfool: 0/16 images");
      assertThat(phase).last().asString().startsWith("deepfool: 16/16 images");
    }

    assertThat(model.getPerturbations().getRows()).isEqualTo(16);
    assertThat(model.getPerturbations().getCols()).isEqualTo(1);
    byte[] sizesBytes =
        S3TestResource.objectStore().get(model.getPerturbations().getObject().getKey());
    byte[] idsBytes = S3TestResource.objectStore().get(model.getPerturbationIds().getKey());
    assertThat(model.getPerturbations().getObject().getKey())
        .isEqualTo("models/df-a-round-1/perturbations.f32");
    assertThat(model.getPerturbationIds().getKey())
        .isEqualTo("models/df-a-round-1/perturbation-ids.txt");
    assertThat(model.getPerturbations().getObject().getSha256())
        .isEqualTo(Hashes.sha256Hex(sizesBytes));
    assertThat(model.getPerturbationIds().getSha256()).isEqualTo(Hashes.sha256Hex(idsBytes));
    List<String> ids = IdList.fromBytes(idsBytes);
    assertThat(ids).isEqualTo(unlabelled.stream().sorted().toList());
    float[] sizes = Matrix.fromBytes(sizesBytes).values();
    assertThat(sizes).hasSize(16);
    for (float size : sizes) {
      assertThat(Float.isFinite(size)).isTrue();
      assertThat(size).isPositive();
    }

    byte[] archive = S3TestResource.objectStore().get(model.getCheckpoint().getKey());
    try (ClassifierModel classifier = Checkpoint.fromBytes(archive).toClassifier()) {
      Heads.assertMatches(model.getHead(), classifier, dataset.test());
      // the stored classifier, attacked again, gives the published sizes row for row
      int[] rows = new int[ids.size()];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = dataset.poolIds().indexOf(ids.get(i));
      }
      float[] again =
          DeepFool.perturbationSizes(
              classifier, dataset.pool().select(rows), new DeepFoolConfig(50, 0.02, 32));
      for (int i = 0; i < sizes.length; i++) {
        assertThat(again[i]).as(ids.get(i)).isCloseTo(sizes[i], withinPercentage(0.01));
      }
    }

    given()
        .when()
        .get("/jobs/df-a-round-1")
        .then()
        .statusCode(200)
        .body("state", equalTo("succeeded"))
        .body("phase", equalTo("deepfool"))
        .body("deepfool.done", equalTo(16))
        .body("deepfool.total", equalTo(16));
    given()
        .when()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("alfer_trainer_deepfool_images_per_second"));
  }

  @Test
  void withCandidatesOnlyTheSeededSubsetOfTheUnlabelledPoolIsAttacked() throws Exception {
    Fixtures.Dataset dataset = Fixtures.dataset("df-d", 16, 3);
    TrainingRequest round = round("df-d-round-1", "df-d", dataset.labelled(6), 4);
    List<String> sortedUnlabelled = dataset.poolIds().subList(6, 16).stream().sorted().toList();
    List<String> expected = DeepFoolCandidates.choose(sortedUnlabelled, 4, 3);
    String bootstrap = KafkaTestResource.bootstrapServers();
    ModelPublished model;
    try (TopicProbe models = TopicProbe.fromNow(bootstrap, Topic.MODELS.topicName());
        TopicProbe progress = TopicProbe.fromNow(bootstrap, Topic.TRAINING_PROGRESS.topicName())) {
      given()
          .contentType("application/json")
          .body(TrainingJobRequest.of(round))
          .when()
          .post("/jobs")
          .then()
          .statusCode(202);
      model = Records.model(models.await(r -> r.key().equals("df-d-round-1"), 1, TIMEOUT).get(0));
      progress.await(
          r ->
              r.key().equals("df-d-round-1")
                  && Records.progress(r).getState() == JobState.JOB_STATE_SUCCEEDED,
          1,
          TIMEOUT);
      assertThat(
              progress.received().stream()
                  .filter(r -> r.key().equals("df-d-round-1"))
                  .map(Records::progress)
                  .map(TrainingProgress::getMessage)
                  .filter(m -> m.startsWith("deepfool"))
                  .toList())
          .isNotEmpty()
          .allMatch(m -> m.matches("deepfool: [0-4]/4 images.*"))
          .anyMatch(m -> m.startsWith("deepfool: 4/4 images"));
    }
    List<String> ids =
        IdList.fromBytes(S3TestResource.objectStore().get(model.getPerturbationIds().getKey()));
    assertThat(ids).isEqualTo(expected);
    assertThat(model.getPerturbations().getRows()).isEqualTo(4);
    float[] sizes =
        Matrix.fromBytes(
                S3TestResource.objectStore().get(model.getPerturbations().getObject().getKey()))
            .values();
    ModelMetadata metadata =
        ModelMetadata.fromJson(
            new String(
                S3TestResource.objectStore().get("models/df-d-round-1/metadata.json"),
                StandardCharsets.UTF_8));
    assertThat(metadata.provenance().metrics())
        .containsEntry("deepfool_images", 4.0)
        .containsEntry("deepfool_unlabelled", 10.0);
    assertThat(((Number) metadata.provenance().training().get("deepfool_candidates")).intValue())
        .isEqualTo(4);
    byte[] archive = S3TestResource.objectStore().get(model.getCheckpoint().getKey());
    try (ClassifierModel classifier = Checkpoint.fromBytes(archive).toClassifier()) {
      int[] rows = new int[ids.size()];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = dataset.poolIds().indexOf(ids.get(i));
      }
      float[] again =
          DeepFool.perturbationSizes(
              classifier, dataset.pool().select(rows), new DeepFoolConfig(50, 0.02, 32));
      for (int i = 0; i < sizes.length; i++) {
        assertThat(again[i]).as(ids.get(i)).isCloseTo(sizes[i], withinPercentage(0.01));
      }
    }
    given()
        .when()
        .get("/jobs/df-d-round-1")
        .then()
        .statusCode(200)
        .body("deepfool.done", equalTo(4))
        .body("deepfool.total", equalTo(4));
  }

  @Test
  void cancellingDuringTheDeepfoolPhaseLeavesNoModel() throws Exception {
    Fixtures.Dataset dataset = Fixtures.dataset("df-b", 16, 3);
    assertThat(follower.sync(TIMEOUT)).isTrue();
    TrainingRequest request = requests.normalise(round("df-b-cancel", "df-b", dataset.labelled(6)));
    AtomicReference<JobExecutor> executor = new AtomicReference<>();
    EpochObserver cancelInPhase =
        new EpochObserver() {
          @Override
          public void checkpointStored(String jobId, int completedEpochs) {}

          @Override
          public void deepFoolProgress(String jobId, int done, int total) {
            if (jobId.equals("df-b-cancel") && done == 0) {
              executor.get().cancel(jobId); // a user, as the phase starts
            }
          }
        };
    try (TopicProbe progress =
        TopicProbe.fromNow(
            KafkaTestResource.bootstrapServers(), Topic.TRAINING_PROGRESS.topicName())) {
      JobExecutor running = service.newExecutor(cancelInPhase);
      executor.set(running);
      try {
        running.start();
        running.submit(request);
        TrainingProgress cancelled =
            Records.progress(
                progress
                    .await(
                        r ->
                            r.key().equals("df-b-cancel")
                                && Records.progress(r).getState() == JobState.JOB_STATE_CANCELLED,
                        1,
                        TIMEOUT)
                    .get(0));
        assertThat(cancelled.getMessage()).isEqualTo("cancelled while running");
        assertThat(running.find("df-b-cancel").orElseThrow().state()).isEqualTo("cancelled");
        assertThat(running.find("df-b-cancel").orElseThrow().deepfool().total()).isEqualTo(10);
      } finally {
        running.close();
      }
    }
    assertThat(store.find("df-b-cancel").orElseThrow().state())
        .isEqualTo(JobState.JOB_STATE_CANCELLED);
    assertThat(S3TestResource.objectStore().listKeys("models/df-b-cancel/")).isEmpty();
  }

  @Test
  void aTrainerStoppedDuringTheDeepfoolPhaseRunsTheRoundAgainAtItsNextStart() throws Exception {
    Fixtures.Dataset dataset = Fixtures.dataset("df-c", 16, 3);
    assertThat(follower.sync(TIMEOUT)).isTrue();
    TrainingRequest request = requests.normalise(round("df-c-crash", "df-c", dataset.labelled(6)));
    AtomicReference<JobExecutor> first = new AtomicReference<>();
    CountDownLatch crashed = new CountDownLatch(1);
    EpochObserver crashInPhase =
        new EpochObserver() {
          @Override
          public void checkpointStored(String jobId, int completedEpochs) {}

          @Override
          public void deepFoolProgress(String jobId, int done, int total) {
            if (jobId.equals("df-c-crash")) {
              first.get().halt();
              crashed.countDown();
            }
          }
        };
    JobExecutor before = service.newExecutor(crashInPhase);
    first.set(before);
    before.start();
    before.submit(request);
    assertThat(crashed.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    before.close();
    assertThat(before.stopped()).isTrue();
    JobRecord left = store.find("df-c-crash").orElseThrow();
    assertThat(left.state()).isEqualTo(JobState.JOB_STATE_RUNNING);
    assertThat(S3TestResource.objectStore().listKeys("models/df-c-crash/")).isEmpty();

    try (TopicProbe announced =
        TopicProbe.fromNow(KafkaTestResource.bootstrapServers(), Topic.MODELS.topicName())) {
      JobExecutor after = service.newExecutor(EpochObserver.NONE);
      try {
        after.start();
        ModelPublished model =
            Records.model(announced.await(r -> r.key().equals("df-c-crash"), 1, TIMEOUT).get(0));
        assertThat(model.getPerturbations().getRows()).isEqualTo(10);
        assertThat(
                IdList.fromBytes(
                    S3TestResource.objectStore().get(model.getPerturbationIds().getKey())))
            .isEqualTo(dataset.poolIds().subList(6, 16));
        assertThat(after.find("df-c-crash").orElseThrow().attempts()).isEqualTo(2);
      } finally {
        after.close();
      }
    }
  }

  private static TrainingRequest round(String jobId, String dataset, List<LabelledImage> labelled) {
    return round(jobId, dataset, labelled, 0);
  }

  private static TrainingRequest round(
      String jobId, String dataset, List<LabelledImage> labelled, int candidates) {
    return TrainingRequest.newBuilder()
        .setJobId(jobId)
        .setFinetune(
            FinetuneJob.newBuilder()
                .setCampaignId("camp-df")
                .setRound(1)
                .setDataset(dataset)
                .addAllLabelled(labelled)
                .setEncoderPreset("tiny")
                .setMaxEpochs(2)
                .setSeed(3)
                .setDeepfool(true)
                .setDeepfoolCandidates(candidates))
        .build();
  }
}
