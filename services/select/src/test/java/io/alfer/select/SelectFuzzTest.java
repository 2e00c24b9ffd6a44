package io.alfer.select;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.select.state.SelectState;
import io.alfer.testkit.HttpGet;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.S3TestResource;
import io.alfer.testkit.fuzz.HttpFuzz;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Bounded fuzzing of {@code POST /campaigns} against the real broker and S3 server: no 5xx, every
 * refusal JSON with its reason, nothing recorded for a refusal (the ids of the campaigns stay as
 * they were: an accepted campaign goes on with its rounds meanwhile, so their progress is not
 * compared), the service ready at the end. Seeded: the same requests on every run.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class SelectFuzzTest {
  @TestHTTPResource("/")
  URI base;

  @Inject SelectState state;

  @Test
  void campaignRequests() throws Exception {
    assertThat(state.awaitReady(Fixtures.WAIT)).isTrue();
    Fixtures.dataset("fuzz-select", 12, 3);
    Fixtures.awaitPool("fuzz-select", 12);
    byte[] campaign =
        """
        {"campaignId":"fuzz-1","dataset":"fuzz-select","strategy":"margin",
         "strategyParameters":{},"initialStrategy":"random","initialSize":4,"budgetPerRound":2,
         "rounds":1,"totalBudget":6,"finetunePreset":"cpu-fast","encoderPreset":"tiny",
         "finetuneMaxEpochs":2,"seed":3,"vendors":["oracle"],"annotationsPerImage":1,
         "onUnanswered":"skip"}
        """
            .getBytes(StandardCharsets.UTF_8);
    HttpFuzz.Report report =
        HttpFuzz.post(base.resolve("campaigns"))
            .seed(20_261)
            .requests(200)
            .body("application/json", campaign)
            .unchangedBy(this::campaignIds)
            .readyAt(base.resolve("q/health/ready"))
            .run();
    assertThat(report.answered(200, 299)).isPositive();
    assertThat(report.byReason())
        .containsKeys("unsupported_media_type", "invalid_json", "unknown_field");
  }

  private Set<String> campaignIds() {
    return new TreeSet<>(
        JsonPath.from(HttpGet.text(base.resolve("campaigns"))).getList("campaignId", String.class));
  }
}
