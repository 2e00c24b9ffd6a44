package io.alfer.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.testkit.HttpGet;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.S3TestResource;
import io.alfer.testkit.fuzz.HttpFuzz;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Bounded fuzzing of {@code POST /jobs} against the real broker and S3 server: no 5xx, every
 * refusal JSON with its reason, no job recorded for a refusal (the ids of the jobs stay as they
 * were; an accepted job trains meanwhile, so its progress is not compared), the service ready at
 * the end. Seeded: the same requests on every run.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class TrainerFuzzTest {
  @TestHTTPResource("/")
  URI base;

  @Test
  void jobRequests() {
    Fixtures.dataset("fuzz-t", 8, 3);
    byte[] job =
        """
        {"jobId":"fuzz-pre","pretrain":{"dataset":"fuzz-t","preset":"tiny","epochs":1,
         "batchSize":4,"temperature":0.5,"learningRate":0.1,"warmupEpochs":0,"seed":3}}
        """
            .getBytes(StandardCharsets.UTF_8);
    HttpFuzz.Report report =
        HttpFuzz.post(base.resolve("jobs"))
            .seed(20_264)
            .requests(150)
            .body("application/json", job)
            .unchangedBy(this::jobIds)
            .readyAt(base.resolve("q/health/ready"))
            .run();
    assertThat(report.answered(200, 299)).isPositive();
    assertThat(report.byReason())
        .containsKeys("unsupported_media_type", "invalid_json", "unknown_field");
  }

  private Set<String> jobIds() {
    return new TreeSet<>(
        JsonPath.from(HttpGet.text(base.resolve("jobs"))).getList("jobId", String.class));
  }
}
