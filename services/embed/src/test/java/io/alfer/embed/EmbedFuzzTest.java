package io.alfer.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alfer.embed.model.ModelRegistry;
import io.alfer.proto.v1.ModelKind;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.S3TestResource;
import io.alfer.testkit.fuzz.HttpFuzz;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Bounded fuzzing of {@code POST /models/{id}/embeddings} against the real broker and S3 server: no
 * 5xx, every refusal JSON with its reason, nothing stored (the endpoint stores nothing, accepted or
 * not: the bucket's keys stay as they were), the service ready at the end. Seeded.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class EmbedFuzzTest {
  /** %test.alfer.embed.max-image-bytes. */
  private static final long MAX_IMAGE_BYTES = 1_048_576;

  @TestHTTPResource("/")
  URI base;

  @Inject ModelRegistry registry;

  @Test
  void imagesPostedToAModel() throws Exception {
    String dataset = "fuzz-embed-" + UUID.randomUUID().toString().substring(0, 8);
    String modelId = "fuzz-encoder-" + UUID.randomUUID().toString().substring(0, 8);
    Fixtures.ingest(dataset, Fixtures.faces(71, 4, 0));
    try (var encoder = Fixtures.encoder(modelId, 7)) {
      Fixtures.publish(
          modelId, ModelKind.MODEL_KIND_ENCODER, dataset, Fixtures.encoderKey(modelId), 100);
      // the model's pass over the pool is done before the fuzzing (it writes to the bucket)
      String pass = "embeddings/" + modelId + "/" + dataset + "/pool/embeddings.f32";
      await("model " + modelId + " has embedded the pool")
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  registry.find(modelId).isPresent()
                      && S3TestResource.objectStore().listKeys(pass).contains(pass));
      HttpFuzz.Report report =
          HttpFuzz.post(base.resolve("models/" + modelId + "/embeddings"))
              .seed(20_265)
              .requests(150)
              .body("image/png", Fixtures.faces(72, 1, 0).get(0).png())
              .oversized(MAX_IMAGE_BYTES + 1)
              .unchangedBy(() -> S3TestResource.objectStore().listKeys(""))
              .readyAt(base.resolve("q/health/ready"))
              .run();
      assertThat(report.answered(200, 299)).isPositive();
      assertThat(report.byReason()).containsKeys("too_large");
    }
  }
}
