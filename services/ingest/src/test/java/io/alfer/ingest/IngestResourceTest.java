package io.alfer.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.alfer.core.messaging.Topic;
import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.StorageLayout;
import io.alfer.proto.v1.ImageIngested;
import io.alfer.proto.v1.Split;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Single uploads against the real broker and S3 server of the test kit. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class IngestResourceTest {

  static ObjectStore store() {
    return S3TestResource.objectStore();
  }

  static List<ImageIngested> announced(String dataset) throws Exception {
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

  @Test
  void uploadStoresBothObjectsAndAnnouncesTheImage() throws Exception {
    byte[] png = Fixtures.image(1, 96, 80, "png");
    String id =
        given()
            .contentType("image/png")
            .body(png)
            .queryParam("split", "test")
            .queryParam("label", "Happy")
            .when()
            .post("/datasets/upload-one/images")
            .then()
            .statusCode(201)
            .body("created", equalTo(true))
            .body("dataset", equalTo("upload-one"))
            .extract()
            .path("imageId");

    assertThat(id).matches("[0-9a-f]{32}");
    byte[] canonical = store().get(StorageLayout.canonicalImage("upload-one", id));
    assertThat(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(canonical)))
        .satisfies(
            img -> {
              assertThat(img.getWidth()).isEqualTo(48);
              assertThat(img.getHeight()).isEqualTo(48);
            });
    assertThat(store().get(StorageLayout.originalImage("upload-one", id, "png"))).isEqualTo(png);

    List<ImageIngested> events = announced("upload-one");
    assertThat(events).hasSize(1);
    ImageIngested e = events.get(0);
    assertThat(e.getImageId()).isEqualTo(id);
    assertThat(e.getSplit()).isEqualTo(Split.SPLIT_TEST);
    assertThat(e.getLabel()).isEqualTo(3);
    assertThat(e.getWidth()).isEqualTo(48);
    assertThat(e.getCanonical().getKey()).isEqualTo(StorageLayout.canonicalImage("upload-one", id));
    assertThat(e.getCanonical().getSizeBytes()).isEqualTo(canonical.length);
    assertThat(e.getOriginal().getSizeBytes()).isEqualTo(png.length);
    assertThat(e.getSourceFormat()).isEqualTo("png");
    assertThat(e.getOrigin().getService()).isEqualTo("ingest");

    given()
        .when()
        .get("/datasets/upload-one")
        .then()
        .statusCode(200)
        .body("images", equalTo(1))
        .body("splits.test", equalTo(1))
        .body("taxonomy", hasSize(7))
        .body("classes.find { it.name == 'happy' }.test", equalTo(1));
  }

  @Test
  void reUploadingTheSameContentIsANoOp() throws Exception {
    byte[] png = Fixtures.image(2, 64, 64, "png");
    String id =
        given()
            .contentType("image/png")
            .body(png)
            .post("/datasets/idem/images")
            .then()
            .statusCode(201)
            .extract()
            .path("imageId");
    int objects = store().listKeys("images/idem/").size();

    given()
        .contentType("image/png")
        .body(png)
        .post("/datasets/idem/images")
        .then()
        .statusCode(200)
        .body("created", equalTo(false))
        .body("imageId", equalTo(id));
    // The same pixels through multipart: still the same image.
    given()
        .multiPart("file", "again.png", png, "image/png")
        .post("/datasets/idem/images")
        .then()
        .statusCode(200)
        .body("created", equalTo(false));

    assertThat(store().listKeys("images/idem/")).hasSize(objects);
    assertThat(announced("idem")).hasSize(1);
  }

  @Test
  void multipartUploadInEveryFormat() throws Exception {
    for (String format : List.of("png", "jpg", "bmp", "gif")) {
      given()
          .multiPart(
              "file", "face." + format, Fixtures.image(10 + format.hashCode(), 60, 50, format))
          .multiPart("split", "pool")
          .multiPart("label", "sad")
          .post("/datasets/formats/images")
          .then()
          .statusCode(201);
    }
    assertThat(announced("formats"))
        .extracting(ImageIngested::getSourceFormat)
        .containsExactlyInAnyOrder("png", "jpeg", "bmp", "gif");
  }

  @Test
  void badInputIsRefusedWithItsReasonAndChangesNothing() throws Exception {
    // A valid image first, so the dataset exists and its state can be compared.
    given()
        .contentType("image/png")
        .body(Fixtures.image(3, 48, 48, "png"))
        .post("/datasets/bad/images")
        .then()
        .statusCode(201);
    List<String> objectsBefore = store().listKeys("");
    int eventsBefore = announced("bad").size();

    byte[] png = Fixtures.image(4, 64, 64, "png");
    refused("hello, not an image".getBytes(), "image/png", 400, "not_an_image");
    refused(Arrays.copyOf(png, png.length / 2), "image/png", 400, "truncated");
    refused(
        new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0, 0, 0},
        "image/tiff",
        415,
        "unsupported_format");
    refused(Fixtures.pngBomb(100_000, 100_000), "image/png", 400, "too_many_pixels");
    refused(new byte[3 * 1024 * 1024], "application/octet-stream", 413, "too_large");

    given()
        .contentType("image/png")
        .body(png)
        .queryParam("label", "bored")
        .post("/datasets/bad/images")
        .then()
        .statusCode(400)
        .body("error", equalTo("label_outside_taxonomy"));
    given()
        .contentType("image/png")
        .body(png)
        .queryParam("split", "validation")
        .post("/datasets/bad/images")
        .then()
        .statusCode(400)
        .body("error", equalTo("bad_split"));
    given()
        .contentType("image/png")
        .body(png)
        .post("/datasets/Not A Name/images")
        .then()
        .statusCode(400)
        .body("error", equalTo("bad_dataset_name"));

    assertThat(store().listKeys("")).containsExactlyInAnyOrderElementsOf(objectsBefore);
    assertThat(announced("bad")).hasSize(eventsBefore);
    // A refused upload into a dataset that does not exist does not create it.
    given()
        .contentType("image/png")
        .body("nope".getBytes())
        .post("/datasets/never/images")
        .then()
        .statusCode(400);
    given().get("/datasets/never").then().statusCode(404).body("error", equalTo("unknown_dataset"));
  }

  @TestHTTPResource("/")
  URI base;

  /**
   * Sends a body with exactly this Content-Type header (null: none), as no client library would.
   */
  private HttpResponse<String> postRaw(String path, String contentType, byte[] body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build()
        .send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anUnreadableContentTypeOrMultipartBodyIsARefusalNotAServerError() throws Exception {
    List<String> objectsBefore = store().listKeys("");
    byte[] text = "hello, not multipart".getBytes();
    for (String path : List.of("datasets/ct/images", "datasets/ct/imports?wait=true")) {
      assertRefused(postRaw(path, ";;;/=", text), 415, "unsupported_media_type", path);
      assertRefused(postRaw(path, "", text), 415, "unsupported_media_type", path);
      assertRefused(postRaw(path, null, text), 415, "unsupported_media_type", path);
      assertRefused(
          postRaw(path, "image/png; charset=\"", text), 415, "unsupported_media_type", path);
      assertRefused(
          postRaw(path, "multipart/form-data; boundary=xyz", text), 400, "invalid_multipart", path);
      assertRefused(postRaw(path, "multipart/form-data", text), 400, "invalid_multipart", path);
      // a form cut short before its closing boundary
      byte[] cut =
          ("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\n"
                  + "abc")
              .getBytes();
      assertRefused(
          postRaw(path, "multipart/form-data; boundary=xyz", cut), 400, "invalid_multipart", path);
      // a part's own Content-Type the form parser cannot read
      byte[] badPart =
          ("--xyz\r\nContent-Disposition: form-data; name=\"split\"\r\nContent-Type: ;;;/=\r\n\r\n"
                  + "pool\r\n--xyz--\r\n")
              .getBytes();
      assertRefused(
          postRaw(path, "multipart/form-data; boundary=xyz", badPart),
          400,
          "invalid_multipart",
          path);
    }
    assertThat(store().listKeys("")).containsExactlyInAnyOrderElementsOf(objectsBefore);
    given().get("/datasets/ct").then().statusCode(404);
  }

  private static void assertRefused(
      HttpResponse<String> answer, int status, String reason, String path) {
    assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(status);
    assertThat(answer.headers().firstValue("Content-Type").orElse(""))
        .as(path)
        .startsWith("application/json");
    assertThat(new io.restassured.path.json.JsonPath(answer.body()).getString("error"))
        .as(path + ": " + answer.body())
        .isEqualTo(reason);
  }

  private static void refused(byte[] body, String contentType, int status, String reason) {
    given()
        .contentType(contentType)
        .body(body)
        .post("/datasets/bad/images")
        .then()
        .statusCode(status)
        .contentType(ContentType.JSON)
        .body("error", equalTo(reason));
  }

  @Test
  void definingADatasetFixesItsTaxonomyAndSize() {
    given()
        .contentType(ContentType.JSON)
        .body("{\"classes\":[\"calm\",\"excited\",\"tired\"],\"size\":32}")
        .put("/datasets/moods")
        .then()
        .statusCode(201)
        .body("width", equalTo(32))
        .body("taxonomy", hasSize(3));
    given()
        .contentType(ContentType.JSON)
        .body("{\"classes\":[\"calm\",\"excited\",\"tired\"],\"size\":32}")
        .put("/datasets/moods")
        .then()
        .statusCode(200);
    given()
        .contentType(ContentType.JSON)
        .body("{\"classes\":[\"calm\",\"excited\"],\"size\":32}")
        .put("/datasets/moods")
        .then()
        .statusCode(409)
        .body("error", equalTo("taxonomy_mismatch"));
    given()
        .contentType(ContentType.JSON)
        .body("{\"classes\":[\"a\",\"a\"]}")
        .put("/datasets/dupes")
        .then()
        .statusCode(400)
        .body("error", equalTo("bad_taxonomy"));

    given()
        .contentType("image/jpeg")
        .body(Fixtures.image(5, 40, 40, "jpg"))
        .queryParam("label", "tired")
        .post("/datasets/moods/images")
        .then()
        .statusCode(201);
    given()
        .get("/datasets/moods")
        .then()
        .statusCode(200)
        .body("classes.find { it.name == 'tired' }.pool", equalTo(1));
  }

  @Test
  void healthAndMetricsAreExposed() {
    given().get("/q/health/live").then().statusCode(200);
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("checks.find { it.name == 'dependencies' }.data.kafka", equalTo(true))
        .body("checks.find { it.name == 'dependencies' }.data.s3", equalTo(true));
    given().contentType("image/png").body("x".getBytes()).post("/datasets/metrics/images");
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .contains("alfer_ingest_refused_total{reason=\"not_an_image\"")
        .contains("alfer_ingest_latency_seconds");
  }
}
