package io.alfer.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.alfer.core.messaging.Topic;
import io.alfer.core.storage.Hashes;
import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.PixelSegment;
import io.alfer.datasets.image.ImageNormalizer;
import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.ImageIngested;
import io.alfer.proto.v1.Split;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Bulk imports of every layout, from fixtures made here, through the real broker and S3. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class BulkImportTest {

  static List<ImageIngested> announced(String dataset) {
    return TopicReader.readAll(KafkaTestResource.bootstrapServers(), Topic.IMAGES).stream()
        .map(
            r -> {
              try {
                return ImageIngested.parseFrom(r.value());
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            })
        .filter(e -> e.getDataset().equals(dataset))
        .toList();
  }

  static JsonPath importWaiting(String dataset, byte[] body, String layout) {
    var request =
        given().contentType("application/octet-stream").body(body).queryParam("wait", true);
    if (layout != null) {
      request = request.queryParam("layout", layout);
    }
    return request
        .post("/datasets/" + dataset + "/imports")
        .then()
        .statusCode(200)
        .body("state", equalTo("SUCCEEDED"))
        .extract()
        .jsonPath();
  }

  static String ferRow(Random random, int emotion, String usage) {
    StringJoiner pixels = new StringJoiner(" ");
    for (int i = 0; i < 48 * 48; i++) {
      pixels.add(Integer.toString(random.nextInt(256)));
    }
    return emotion + "," + pixels + "," + usage;
  }

  @Test
  void fer2013CsvGoodRowsInBadRowsReported() {
    Random random = new Random(7);
    String csv =
        String.join(
            "\n",
            "emotion,pixels,Usage",
            ferRow(random, 3, "Training"),
            ferRow(random, 0, "Training"),
            ferRow(random, 6, "PublicTest"),
            ferRow(random, 5, "PrivateTest"),
            "9,1 2 3,Training", // label outside 0..6 and too few pixels
            "2,not pixels,Training",
            ferRow(random, 4, "Training"));
    JsonPath result = importWaiting("fer-csv", csv.getBytes(StandardCharsets.UTF_8), "fer2013-csv");
    assertThat(result.getLong("accepted")).isEqualTo(5);
    assertThat(result.getLong("refused")).isEqualTo(2);
    assertThat(result.getLong("done")).isEqualTo(7);
    assertThat(result.getLong("total")).isEqualTo(7);
    // A raw body has no file name: its rows are the body's.
    assertThat(result.getList("refusals.source", String.class))
        .containsExactlyInAnyOrder("body:6", "body:7");

    List<ImageIngested> events = announced("fer-csv");
    assertThat(events).hasSize(5);
    assertThat(events.stream().filter(e -> e.getSplit() == Split.SPLIT_TEST)).hasSize(2);
    assertThat(events).extracting(ImageIngested::getLabel).containsExactlyInAnyOrder(3, 0, 6, 5, 4);

    given()
        .get("/datasets/fer-csv")
        .then()
        .statusCode(200)
        .body("layout", equalTo("fer2013-csv"))
        .body("splits.pool", equalTo(3))
        .body("splits.test", equalTo(2));

    // A re-run (e.g. after an interruption) adds nothing.
    JsonPath again = importWaiting("fer-csv", csv.getBytes(StandardCharsets.UTF_8), null);
    assertThat(again.getLong("accepted")).isZero();
    assertThat(again.getLong("duplicates")).isEqualTo(5);
    assertThat(announced("fer-csv")).hasSize(5);
  }

  @Test
  void anImportWritesItsPixelsInSegmentsThatHoldWhatEachPngHolds() {
    Random random = new Random(11);
    int rows = 7; // the test profile packs 3 images per segment: segments of 3, 3 and 1
    StringJoiner csv = new StringJoiner("\n").add("emotion,pixels,Usage");
    for (int i = 0; i < rows; i++) {
      csv.add(ferRow(random, i % 7, "Training"));
    }
    JsonPath result =
        importWaiting("segmented", csv.toString().getBytes(StandardCharsets.UTF_8), null);
    assertThat(result.getLong("accepted")).isEqualTo(rows);

    List<ImageIngested> events = announced("segmented");
    assertThat(events).hasSize(rows).allMatch(ImageIngested::hasPixels);
    ObjectStore store = S3TestResource.objectStore();
    Map<String, List<ImageIngested>> bySegment =
        events.stream().collect(Collectors.groupingBy(e -> e.getPixels().getSegment().getKey()));
    assertThat(bySegment.values()).extracting(List::size).containsExactlyInAnyOrder(3, 3, 1);
    for (var entry : bySegment.entrySet()) {
      assertThat(entry.getKey()).startsWith("segments/segmented/").endsWith(".px");
      byte[] bytes = store.get(entry.getKey());
      assertThat(Hashes.sha256Hex(bytes))
          .isEqualTo(entry.getValue().get(0).getPixels().getSegment().getSha256());
      PixelSegment segment = PixelSegment.fromBytes(bytes);
      assertThat(entry.getValue())
          .extracting(e -> e.getPixels().getRow())
          .containsExactlyInAnyOrderElementsOf(
              java.util.stream.IntStream.range(0, segment.rows()).boxed().toList());
      for (ImageIngested e : entry.getValue()) {
        byte[] png = store.get(e.getCanonical().getKey());
        assertThat(segment.row(e.getPixels().getRow()))
            .isEqualTo(new ImageNormalizer().normalize(png).pixels());
      }
    }
  }

  @Test
  void refusedRowsAreNamedAfterTheUploadedFileNotTheServersCopy() {
    Random random = new Random(8);
    String csv =
        String.join(
            "\n", "emotion,pixels,Usage", ferRow(random, 1, "Training"), "2,1 2 3,Training");
    JsonPath result =
        given()
            .multiPart("file", "faces.csv", csv.getBytes(StandardCharsets.UTF_8), "text/csv")
            .queryParam("wait", true)
            .post("/datasets/named-rows/imports")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(result.getLong("accepted")).isEqualTo(1);
    assertThat(result.getList("refusals.source", String.class)).containsExactly("faces.csv:3");
    // A browser may send a whole path; the name is the file's own.
    given()
        .multiPart(
            "file", "C:\\Users\\me\\faces2.csv", csv.getBytes(StandardCharsets.UTF_8), "text/csv")
        .queryParam("wait", true)
        .post("/datasets/named-rows/imports")
        .then()
        .statusCode(200)
        .body("refusals[0].source", equalTo("faces2.csv:3"));
  }

  @Test
  void anImportThatAcceptsNothingCreatesNothingAndSaysWhy() {
    List<String> objectsBefore = S3TestResource.objectStore().listKeys("");
    String csv =
        String.join(
            "\n", "emotion,pixels,Usage", "9,1 2 3,Training", "2,not pixels,Training", "x,,");
    JsonPath refusal =
        given()
            .multiPart("file", "faces.csv", csv.getBytes(StandardCharsets.UTF_8), "text/csv")
            .queryParam("wait", true)
            .post("/datasets/all-refused/imports")
            .then()
            .statusCode(400)
            .contentType(ContentType.JSON)
            .body("error", equalTo("nothing_imported"))
            .body("message", equalTo("nothing imported: all 3 items were refused (bad_row: 3)"))
            .body("details.state", equalTo("REFUSED"))
            .body("details.refused", equalTo(3))
            .body("details.refusedByReason.bad_row", equalTo(3))
            .extract()
            .jsonPath();
    assertThat(refusal.getList("details.refusals.source", String.class))
        .containsExactlyInAnyOrder("faces.csv:2", "faces.csv:3", "faces.csv:4");

    // Without wait: accepted for processing, then refused; the view says so and why.
    String location =
        given()
            .contentType("text/csv")
            .body("emotion,pixels,Usage\n".getBytes(StandardCharsets.UTF_8))
            .post("/datasets/all-refused/imports")
            .then()
            .statusCode(202)
            .extract()
            .header("Location");
    String ended =
        await("import at " + location + " ended")
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> given().get(location).then().statusCode(200).extract().asString(),
                body -> !new JsonPath(body).getString("state").equals("RUNNING"));
    assertThat(new JsonPath(ended).getString("state")).isEqualTo("REFUSED");
    assertThat(new JsonPath(ended).getString("error"))
        .isEqualTo("nothing imported: the upload holds no items");

    // Nothing was written, announced or remembered.
    assertThat(S3TestResource.objectStore().listKeys(""))
        .containsExactlyInAnyOrderElementsOf(objectsBefore);
    assertThat(definitionsAnnounced("all-refused")).isEmpty();
    assertThat(announced("all-refused")).isEmpty();
    given().get("/datasets/all-refused").then().statusCode(404);
    String metrics = given().get("/q/metrics").then().extract().asString();
    assertThat(metrics).contains("alfer_ingest_refused_total{reason=\"nothing_imported\"");
  }

  @Test
  void aGzippedCsvCutShortWithNothingTakenInIsRefusedNamingTheUpload() throws Exception {
    Random random = new Random(13);
    StringBuilder csv = new StringBuilder("emotion,pixels,Usage\n");
    // Long enough that reading starts before the cut (the reader buffers 64 KiB at a time).
    for (int i = 0; i < 40; i++) {
      csv.append(ferRow(random, 9, "Training")).append('\n'); // emotion 9: a bad row
    }
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
      out.write(csv.toString().getBytes(StandardCharsets.UTF_8));
    }
    // Readable past the header and a few rows, then cut short.
    byte[] cut = java.util.Arrays.copyOf(gz.toByteArray(), gz.size() * 7 / 10);
    JsonPath refusal =
        given()
            .multiPart("file", "faces.csv.gz", cut, "application/gzip")
            .queryParam("wait", true)
            .post("/datasets/cut-short/imports")
            .then()
            .statusCode(400)
            .body("error", equalTo("nothing_imported"))
            .extract()
            .jsonPath();
    assertThat(refusal.getString("message")).contains("bad_row: ").contains("corrupt_archive: 1");
    assertThat(refusal.getList("details.refusals.source", String.class))
        .contains("faces.csv.gz:2", "faces.csv.gz");
    given().get("/datasets/cut-short").then().statusCode(404);
  }

  @Test
  void anImportIntoAnExistingDatasetThatAcceptsNothingIsRefusedToo() {
    Random random = new Random(12);
    importWaiting(
        "kept",
        ("emotion,pixels,Usage\n" + ferRow(random, 2, "Training")).getBytes(StandardCharsets.UTF_8),
        null);
    List<String> objectsBefore = S3TestResource.objectStore().listKeys("");
    given()
        .contentType("text/csv")
        .body("emotion,pixels,Usage\n5,0 0,Training\n".getBytes(StandardCharsets.UTF_8))
        .queryParam("wait", true)
        .post("/datasets/kept/imports")
        .then()
        .statusCode(400)
        .body("error", equalTo("nothing_imported"))
        .body("details.refusals[0].source", equalTo("body:2"));
    assertThat(S3TestResource.objectStore().listKeys(""))
        .containsExactlyInAnyOrderElementsOf(objectsBefore);
    assertThat(definitionsAnnounced("kept")).hasSize(1);
    given().get("/datasets/kept").then().statusCode(200).body("images", equalTo(1));
  }

  @Test
  void anImportOverTheLimitIsRefusedAsARawBodyOrAForm() {
    byte[] big = new byte[4 * 1024 * 1024 + 1]; // %test.alfer.ingest.max-import-bytes + 1
    given()
        .contentType("application/zip")
        .body(big)
        .post("/datasets/too-big/imports")
        .then()
        .statusCode(413)
        .body("error", equalTo("too_large"));
    given()
        .multiPart("file", "big.csv", big, "text/csv")
        .post("/datasets/too-big/imports")
        .then()
        .statusCode(413)
        .body("error", equalTo("too_large"));
    given().get("/datasets/too-big").then().statusCode(404);
  }

  static List<DatasetDefined> definitionsAnnounced(String dataset) {
    return TopicReader.readAll(KafkaTestResource.bootstrapServers(), Topic.DATASETS).stream()
        .filter(r -> dataset.equals(r.key()))
        .map(
            r -> {
              try {
                return DatasetDefined.parseFrom(r.value());
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            })
        .toList();
  }

  @Test
  void rafDbArchiveUsesItsOwnLabelOrder() {
    byte[] archive =
        new Archives()
            .add(
                "basic/EmoLabel/list_patition_label.txt",
                "train_00001.jpg 1\ntrain_00002.jpg 4\ntest_0001.jpg 7\n"
                    .getBytes(StandardCharsets.UTF_8))
            .add("basic/Image/aligned/train_00001_aligned.jpg", Fixtures.image(21, 100, 100, "jpg"))
            .add("basic/Image/aligned/train_00002_aligned.jpg", Fixtures.image(22, 100, 100, "jpg"))
            .add("basic/Image/aligned/test_0001_aligned.jpg", Fixtures.image(23, 100, 100, "jpg"))
            .zip();
    JsonPath result = importWaiting("raf", archive, null);
    assertThat(result.getString("layout")).isEqualTo("rafdb");
    assertThat(result.getLong("accepted")).isEqualTo(3);
    // RAF-DB: 1 surprise, 4 happiness, 7 neutral → FER7 indices 5, 3, 6.
    assertThat(announced("raf"))
        .extracting(ImageIngested::getLabel)
        .containsExactlyInAnyOrder(5, 3, 6);
    assertThat(announced("raf").stream().filter(e -> e.getSplit() == Split.SPLIT_TEST)).hasSize(1);
  }

  @Test
  void kdefArchiveTakesTheExpressionFromTheFileName() {
    byte[] archive =
        new Archives()
            .add("KDEF/AF01/AF01ANS.JPG", Fixtures.image(31, 80, 100, "jpg"))
            .add("KDEF/AF01/AF01HAS.JPG", Fixtures.image(32, 80, 100, "jpg"))
            .add("KDEF/AM02/AM02SUHL.JPG", Fixtures.image(33, 80, 100, "jpg"))
            .add("KDEF/AM02/notes.txt", "not an image".getBytes(StandardCharsets.UTF_8))
            .tarGz();
    JsonPath result = importWaiting("kdef", archive, "kdef");
    assertThat(result.getLong("accepted")).isEqualTo(3);
    assertThat(announced("kdef"))
        .extracting(ImageIngested::getLabel)
        .containsExactlyInAnyOrder(0, 3, 5);
  }

  @Test
  void imageFolderTakesItsClassesFromTheFolders() {
    byte[] archive =
        new Archives()
            .add("data/train/calm/a.png", Fixtures.image(41, 50, 50, "png"))
            .add("data/train/calm/b.png", Fixtures.image(42, 50, 50, "png"))
            .add("data/train/tense/c.png", Fixtures.image(43, 50, 50, "png"))
            .add("data/test/tense/d.png", Fixtures.image(44, 50, 50, "png"))
            .add(
                "data/test/calm/broken.png",
                "definitely not a png".getBytes(StandardCharsets.UTF_8))
            .zip();
    JsonPath result = importWaiting("folders", archive, null);
    assertThat(result.getString("layout")).isEqualTo("image-folder");
    assertThat(result.getLong("accepted")).isEqualTo(4);
    assertThat(result.getLong("refused")).isEqualTo(1);
    assertThat(result.getString("refusals[0].source")).contains("broken.png");
    given()
        .get("/datasets/folders")
        .then()
        .statusCode(200)
        .body("taxonomy", hasItems("calm", "tense"))
        .body("splits.test", equalTo(1));
  }

  @Test
  void archivesThatEscapeOrExplodeAreRefusedWholeAndChangeNothing() {
    List<String> objectsBefore = S3TestResource.objectStore().listKeys("");
    byte[] escaping =
        new Archives()
            .add("train/happy/ok.png", Fixtures.image(51, 48, 48, "png"))
            .add("../../etc/evil.png", Fixtures.image(52, 48, 48, "png"))
            .zip();
    given()
        .contentType("application/zip")
        .body(escaping)
        .post("/datasets/evil/imports")
        .then()
        .statusCode(400)
        .body("error", equalTo("path_escape"));

    Archives many = new Archives();
    for (int i = 0; i < 30; i++) {
      many.add("train/happy/" + i + ".png", Fixtures.image(60 + i, 8, 8, "png"));
    }
    given()
        .contentType("application/zip")
        .body(many.zip())
        .post("/datasets/evil/imports")
        .then()
        .statusCode(400)
        .body("error", equalTo("too_many_entries"));

    given()
        .contentType("application/octet-stream")
        .body("just some text".getBytes(StandardCharsets.UTF_8))
        .post("/datasets/evil/imports")
        .then()
        .statusCode(400)
        .body("error", equalTo("not_a_dataset"));
    given()
        .contentType("application/zip")
        .body(escaping)
        .queryParam("layout", "cifar")
        .post("/datasets/evil/imports")
        .then()
        .statusCode(400)
        .body("error", equalTo("bad_layout"));

    assertThat(S3TestResource.objectStore().listKeys(""))
        .containsExactlyInAnyOrderElementsOf(objectsBefore);
    assertThat(announced("evil")).isEmpty();
    given().get("/datasets/evil").then().statusCode(404);
  }

  @Test
  void anImportShowsItsProgress() throws Exception {
    Random random = new Random(99);
    StringBuilder csv = new StringBuilder("emotion,pixels,Usage\n");
    for (int i = 0; i < 40; i++) {
      csv.append(ferRow(random, i % 7, "Training")).append('\n');
    }
    String location =
        given()
            .contentType("text/csv")
            .body(csv.toString().getBytes(StandardCharsets.UTF_8))
            .post("/datasets/progress/imports")
            .then()
            .statusCode(202)
            .body("total", equalTo(40))
            .extract()
            .header("Location");
    String finished =
        await("import at " + location + " no longer running")
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> given().get(location).then().statusCode(200).extract().asString(),
                body -> {
                  JsonPath progress = new JsonPath(body);
                  assertThat(progress.getLong("done")).isBetween(0L, 40L);
                  return !progress.getString("state").equals("RUNNING");
                });
    JsonPath view = new JsonPath(finished);
    assertThat(view.getString("state")).isEqualTo("SUCCEEDED");
    assertThat(view.getLong("accepted")).isEqualTo(40);
    given().get("/imports").then().statusCode(200);
    given().get("/imports/nope").then().statusCode(404).body("error", equalTo("unknown_import"));
  }
}
