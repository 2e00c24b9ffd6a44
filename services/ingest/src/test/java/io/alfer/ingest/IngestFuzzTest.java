package io.alfer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.core.messaging.Topic;
import io.alfer.testkit.HttpGet;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.S3TestResource;
import io.alfer.testkit.TopicEnds;
import io.alfer.testkit.fuzz.FormPart;
import io.alfer.testkit.fuzz.HttpFuzz;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bounded fuzzing of every ingest endpoint that takes a body, against the real broker and S3
 * server: no 5xx, every refusal JSON with a reason, nothing stored or announced for a refusal, the
 * service ready at the end. Deterministic: the seeds below make the same requests on every run.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class IngestFuzzTest {
  /** Single-image limit in tests (%test.alfer.ingest.max-image-bytes). */
  private static final long MAX_IMAGE_BYTES = 2_097_152;

  /** Bulk-import limit in tests (%test.alfer.ingest.max-import-bytes). */
  private static final long MAX_IMPORT_BYTES = 4_194_304;

  @TestHTTPResource("/")
  URI base;

  private TopicEnds catalogEnds;

  @BeforeEach
  void openEnds() {
    catalogEnds =
        new TopicEnds(
            KafkaTestResource.bootstrapServers(),
            List.of(Topic.IMAGES.topicName(), Topic.DATASETS.topicName()));
  }

  @AfterEach
  void closeEnds() {
    catalogEnds.close();
  }

  /**
   * What a refusal must leave as it was: every object in the bucket, the end offsets of the catalog
   * topics (nothing announced) and the service's own catalog of datasets.
   */
  private Map<String, Object> stored() {
    return Map.of(
        "objects", S3TestResource.objectStore().listKeys(""),
        "offsets", catalogEnds.get(),
        "datasets", HttpGet.text(base.resolve("datasets")));
  }

  @Test
  void imageUploads() {
    byte[] png = Fixtures.image(901, 64, 64, "png");
    byte[] jpeg = Fixtures.image(902, 50, 40, "jpg");
    HttpFuzz.Report report =
        HttpFuzz.post(base.resolve("datasets/fuzz-images/images"))
            .seed(20_251)
            .requests(200)
            .body("image/png", png)
            .body("image/jpeg", jpeg)
            .form(
                FormPart.file("file", "face.png", "image/png", png),
                FormPart.field("split", "test"),
                FormPart.field("label", "happy"))
            .oversized(MAX_IMAGE_BYTES + 1)
            .unchangedBy(this::stored)
            .readyAt(base.resolve("q/health/ready"))
            .run();

    // The run exercised both sides: uploads that went in, and each kind of refusal.
    assertThat(report.answered(200, 299)).isPositive();
    assertThat(report.byReason())
        .containsKeys(
            "unsupported_media_type",
            "invalid_multipart",
            "not_an_image",
            "truncated",
            "too_large");
  }

  @Test
  void bulkImports() {
    byte[] csv = ferCsv(new Random(5), 3);
    byte[] kdef =
        new Archives()
            .add("KDEF/AF01/AF01ANS.JPG", Fixtures.image(911, 40, 50, "jpg"))
            .add("KDEF/AF01/AF01HAS.JPG", Fixtures.image(912, 40, 50, "jpg"))
            .zip();
    HttpFuzz.Report report =
        HttpFuzz.post(base.resolve("datasets/fuzz-imports/imports?wait=true"))
            .seed(20_252)
            .requests(150)
            .body("text/csv", csv)
            .body("application/zip", kdef)
            .form(
                FormPart.file("file", "faces.csv", "text/csv", csv),
                FormPart.field("layout", "fer2013-csv"))
            .form(FormPart.file("file", "kdef.zip", "application/zip", kdef))
            .oversized(MAX_IMPORT_BYTES + 1)
            .unchangedBy(this::stored)
            .readyAt(base.resolve("q/health/ready"))
            .run();

    assertThat(report.answered(200, 299)).isPositive();
    assertThat(report.byReason())
        .containsKeys(
            "unsupported_media_type",
            "invalid_multipart",
            "not_a_dataset",
            "corrupt_archive",
            "nothing_imported");
  }

  /** A FER2013 CSV of {@code rows} random 48×48 faces. */
  static byte[] ferCsv(Random random, int rows) {
    StringJoiner csv = new StringJoiner("\n", "", "\n");
    csv.add("emotion,pixels,Usage");
    for (int r = 0; r < rows; r++) {
      csv.add(BulkImportTest.ferRow(random, r % 7, "Training"));
    }
    return csv.toString().getBytes(StandardCharsets.UTF_8);
  }
}
