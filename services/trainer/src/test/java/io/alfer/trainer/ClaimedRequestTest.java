package io.alfer.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.core.claim.ClaimRefused;
import io.alfer.core.claim.Claims;
import io.alfer.core.messaging.Topic;
import io.alfer.core.storage.ObjectStore;
import io.alfer.proto.v1.FinetuneJob;
import io.alfer.proto.v1.JobState;
import io.alfer.proto.v1.LabelledImage;
import io.alfer.proto.v1.ModelPublished;
import io.alfer.proto.v1.TrainingProgress;
import io.alfer.proto.v1.TrainingRequest;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.RawProducer;
import io.alfer.testkit.ReceivedRecord;
import io.alfer.testkit.S3TestResource;
import io.alfer.testkit.TopicProbe;
import io.alfer.trainer.job.JobStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fine-tunings whose labelled set arrives as a claim check, written as the select service writes
 * them (io.alfer.core.claim.Claims): read back whole, the job runs on every label; a missing or
 * corrupt object refuses the request with its reason (dead-letter topic and REJECTED), records no
 * job, and the consumer goes on with the next request.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class ClaimedRequestTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @Inject JobStore jobs;

  private static TrainingRequest request(String jobId, List<LabelledImage> labelled) {
    return TrainingRequest.newBuilder()
        .setJobId(jobId)
        .setFinetune(
            FinetuneJob.newBuilder()
                .setCampaignId("camp-claims")
                .setRound(0)
                .setDataset("claims-ft")
                .addAllLabelled(labelled)
                .setEncoderPreset("tiny")
                .setMaxEpochs(2)
                .setSeed(3))
        .build();
  }

  @Test
  void aClaimCheckedLabelledSetIsReadWholeAndAMissingOrCorruptOneIsRefused() throws Exception {
    Fixtures.Dataset dataset = Fixtures.dataset("claims-ft", 16, 6);
    List<LabelledImage> labelled = dataset.labelled(12);
    ObjectStore store = S3TestResource.objectStore();
    // the select service's writer, with a limit that 12 labels exceed
    Claims claims = new Claims(store, 64);

    TrainingRequest missing = claims.pack(request("claims-missing", labelled.subList(0, 10)));
    store.delete(missing.getFinetune().getClaim().getKey());
    TrainingRequest corrupt = claims.pack(request("claims-corrupt", labelled.subList(0, 11)));
    byte[] damaged = store.get(corrupt.getFinetune().getClaim().getKey());
    store.put(
        corrupt.getFinetune().getClaim().getKey(),
        java.util.Arrays.copyOf(damaged, damaged.length - 2),
        Claims.CONTENT_TYPE);
    TrainingRequest good = claims.pack(request("claims-good", labelled));
    assertThat(good.getFinetune().getLabelledCount()).isZero();
    assertThat(good.getFinetune().getClaim().getKey()).startsWith("claims/finetune-job/");

    String bootstrap = KafkaTestResource.bootstrapServers();
    String requests = Topic.TRAINING_REQUESTS.topicName();
    try (TopicProbe dlq = TopicProbe.fromNow(bootstrap, Topic.TRAINING_REQUESTS.dlqName());
        TopicProbe progress = TopicProbe.fromNow(bootstrap, Topic.TRAINING_PROGRESS.topicName());
        TopicProbe models = TopicProbe.fromNow(bootstrap, Topic.MODELS.topicName());
        RawProducer producer = new RawProducer(bootstrap)) {
      producer.send(requests, "claims-missing", missing.toByteArray());
      producer.send(requests, "claims-corrupt", corrupt.toByteArray());
      producer.send(requests, "claims-good", good.toByteArray());

      ReceivedRecord refusedMissing =
          dlq.await(r -> "claims-missing".equals(r.key()), 1, TIMEOUT).get(0);
      assertThat(refusedMissing.header("dead-letter-reason"))
          .startsWith(ClaimRefused.MISSING)
          .contains(missing.getFinetune().getClaim().getKey());
      assertThat(refusedMissing.value()).isEqualTo(missing.toByteArray());
      ReceivedRecord refusedCorrupt =
          dlq.await(r -> "claims-corrupt".equals(r.key()), 1, TIMEOUT).get(0);
      assertThat(refusedCorrupt.header("dead-letter-reason")).startsWith(ClaimRefused.CORRUPT);

      // whoever waits for the job learns why it will never run
      TrainingProgress rejected =
          Records.progress(
              progress.await(r -> "claims-missing".equals(r.key()), 1, TIMEOUT).get(0));
      assertThat(rejected.getState()).isEqualTo(JobState.JOB_STATE_REJECTED);
      assertThat(rejected.getMessage()).startsWith(ClaimRefused.MISSING);

      // the consumer went on: the good request's job ran on every label
      ModelPublished model =
          Records.model(models.await(r -> "claims-good".equals(r.key()), 1, TIMEOUT).get(0));
      assertThat(model.getCampaignId()).isEqualTo("camp-claims");
    }
    FinetuneJob stored = jobs.find("claims-good").orElseThrow().request().getFinetune();
    assertThat(stored.hasClaim()).isFalse();
    assertThat(stored.getLabelledList()).isEqualTo(labelled);
    // nothing recorded for the refused ones
    assertThat(jobs.find("claims-missing")).isEmpty();
    assertThat(jobs.find("claims-corrupt")).isEmpty();
    given().when().get("/jobs/claims-corrupt").then().statusCode(404);
    given().when().get("/q/health/ready").then().statusCode(200);
  }
}
