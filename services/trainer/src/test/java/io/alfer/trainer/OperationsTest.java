package io.alfer.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.alfer.core.api.TrainingJobRequest;
import io.alfer.core.messaging.Topic;
import io.alfer.proto.v1.JobState;
import io.alfer.proto.v1.TrainingProgress;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.S3TestResource;
import io.alfer.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Cancelling, listing, health and metrics. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class OperationsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @Test
  void runningAndQueuedJobsCanBeCancelled() throws Exception {
    Fixtures.dataset("ops-a", 16, 3);
    try (TopicProbe progress =
        TopicProbe.fromNow(
            KafkaTestResource.bootstrapServers(), Topic.TRAINING_PROGRESS.topicName())) {
      post("ops-long", 500).then().statusCode(202);
      post("ops-queued", 1).then().statusCode(202).body("state", equalTo("queued"));
      // the long job is training: progress with a step
      progress.await(
          r -> r.key().equals("ops-long") && Records.progress(r).getStep() > 0, 1, TIMEOUT);

      given()
          .when()
          .post("/jobs/ops-queued/cancel")
          .then()
          .statusCode(200)
          .body("state", equalTo("cancelled"))
          .body("attempts", equalTo(0));
      given().when().post("/jobs/ops-long/cancel").then().statusCode(200);
      TrainingProgress cancelled =
          Records.progress(
              progress
                  .await(
                      r ->
                          r.key().equals("ops-long")
                              && Records.progress(r).getState() == JobState.JOB_STATE_CANCELLED,
                      1,
                      TIMEOUT)
                  .get(0));
      assertThat(cancelled.getMessage()).contains("cancelled");
      assertThat(cancelled.getEpoch()).isLessThan(500);
    }
    given()
        .when()
        .get("/jobs/ops-long")
        .then()
        .statusCode(200)
        .body("state", equalTo("cancelled"))
        .body("epochs", equalTo(500));
    given()
        .when()
        .post("/jobs/ops-long/cancel")
        .then()
        .statusCode(409)
        .body("error", equalTo("job_finished"));
    given()
        .when()
        .get("/jobs")
        .then()
        .statusCode(200)
        .body("jobId", hasItems("ops-long", "ops-queued"));
    given()
        .when()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("alfer_trainer_jobs_queued"))
        .body(containsString("alfer_trainer_jobs_running"))
        .body(containsString("alfer_trainer_images_per_second"))
        .body(containsString("alfer_trainer_loss"))
        .body(containsString("alfer_trainer_jobs_finished_total{state=\"cancelled\"}"));
  }

  @Test
  void readyWhenKafkaS3CatalogAndJobsAreUp() {
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.find { it.name == 'dependencies' }.data.device", equalTo("cpu"))
        .body("checks.find { it.name == 'dependencies' }.data.jobs-recovered", equalTo(true));
  }

  private static io.restassured.response.Response post(String jobId, int epochs) throws Exception {
    return given()
        .contentType("application/json")
        .body(TrainingJobRequest.of(Fixtures.pretrain(jobId, "ops-a", epochs)))
        .when()
        .post("/jobs");
  }
}
