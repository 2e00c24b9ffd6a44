package io.alfer.label;

import static io.alfer.label.Fixtures.select;
import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.core.messaging.VendorTopics;
import io.alfer.label.state.LabelState;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.S3TestResource;
import io.alfer.testkit.TopicEnds;
import io.alfer.testkit.TopicProbe;
import io.alfer.testkit.fuzz.HttpFuzz;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bounded fuzzing of the vendor's result endpoint ({@code POST /vendor/tasks/{id}/result}) against
 * the real broker and S3 server: no 5xx, every refusal JSON with its reason, nothing written for a
 * refusal (the vendor's result topic keeps its end), the service ready at the end. Seeded: the same
 * requests on every run.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class LabelFuzzTest {
  /** alfer.label.max-result-bytes. */
  private static final int MAX_RESULT_BYTES = 65_536;

  @TestHTTPResource("/")
  URI base;

  @Inject LabelState state;

  @Test
  void vendorResults() throws Exception {
    Fixtures.defineDataset();
    assertThat(state.awaitReady(Duration.ofSeconds(30))).isTrue();
    String task;
    try (TopicProbe tasks = Fixtures.taskProbe()) {
      select("c-fuzz", 0, List.of("fz-1"), List.of("acme"), 1);
      task = LabelServiceTest.tasks(tasks, "c-fuzz", 1).get(0).getTaskId();
    }
    // what the endpoint writes: an accepted result on the vendor's topic (the label it makes comes
    // later, from that topic, so alfer.labels is not compared)
    List<String> topics = List.of(VendorTopics.results("acme"));
    try (TopicEnds ends = new TopicEnds(KafkaTestResource.bootstrapServers(), topics)) {
      HttpFuzz.Report report =
          HttpFuzz.post(base.resolve("vendor/tasks/" + task + "/result"))
              .seed(20_263)
              .requests(200)
              .header("Authorization", "Bearer acme-secret-key")
              .body(
                  "application/json",
                  "{\"annotator\":\"ann-7\",\"label\":\"happy\",\"confidence\":0.9}"
                      .getBytes(StandardCharsets.UTF_8))
              .oversized(MAX_RESULT_BYTES + 1)
              .unchangedBy(ends)
              .readyAt(base.resolve("q/health/ready"))
              .run();
      assertThat(report.answered(200, 299)).isPositive();
      assertThat(report.byReason())
          .containsKeys("unsupported_media_type", "malformed", "too_large", "duplicate");
    }
  }
}
