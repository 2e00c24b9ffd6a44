package io.alfer.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import io.alfer.core.messaging.Topic;
import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.StorageLayout;
import io.alfer.proto.v1.ImageIngested;
import io.alfer.proto.v1.Split;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.RawProducer;
import io.alfer.testkit.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * The console's own API with the services answered by {@link StubServices}, and the test kit's real
 * Kafka broker and S3 server for the class samples, images and models.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(StubServices.class)
class ConsoleResourceTest {
  static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3};

  @TestHTTPResource("/")
  URI base;

  @Test
  void servesTheConsoleAndTheLabellingPage() {
    given().when().get("/index.html").then().statusCode(200).body(containsString("alfer console"));
    given().when().get("/label.html").then().statusCode(200).body(containsString("API key"));
    given().when().get("/app.js").then().statusCode(200);
    given().when().get("/label.js").then().statusCode(200);
  }

  @Test
  void campaignsAreTheSelectServicesViewsWithItsStatusesAndReasons() {
    given()
        .when()
        .get("/api/campaigns")
        .then()
        .statusCode(200)
        .body("[0].campaignId", equalTo("c1"));
    given()
        .when()
        .get("/api/campaigns/c1")
        .then()
        .statusCode(200)
        .body("rounds[0].selected[0].score", equalTo(0.5f));
    given()
        .when()
        .get("/api/campaigns/nope")
        .then()
        .statusCode(404)
        .body("error", equalTo("unknown_campaign"));
    given()
        .when()
        .get("/api/campaigns/a%20b")
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_id"));
  }

  @Test
  void theCampaignFormIsCheckedBySelectAndARefusalKeepsItsReason() {
    given()
        .contentType("application/json")
        .body("{\"dataset\":\"stub-fer\",\"initialSize\":1,\"rounds\":0}")
        .when()
        .post("/api/campaigns")
        .then()
        .statusCode(400)
        .body("error", equalTo("impossible_size"))
        .body("message", containsString("at least 2"));
    given()
        .contentType("application/json")
        .body("{\"dataset\":\"stub-fer\",\"initialSize\":5,\"rounds\":0}")
        .when()
        .post("/api/campaigns")
        .then()
        .statusCode(201)
        .body("campaignId", equalTo("c9"));
  }

  @Test
  void theVendorApiIsReachedWithTheCallersOwnKeyOnly() {
    given()
        .when()
        .get("/api/vendor/tasks")
        .then()
        .statusCode(401)
        .body("error", equalTo("unauthorized"));
    given()
        .header("Authorization", "Bearer good-key")
        .when()
        .get("/api/vendor/tasks")
        .then()
        .statusCode(200)
        .body("$", hasSize(0));
    given()
        .header("Authorization", "Bearer good-key")
        .contentType("application/json")
        .body("{\"label\":\"happy\"}")
        .when()
        .post("/api/vendor/tasks/t1/result")
        .then()
        .statusCode(410)
        .body("error", equalTo("late"))
        .body("message", equalTo("17"));
  }

  @Test
  void healthSaysWhichServiceDoesNotAnswer() {
    given()
        .when()
        .get("/api/health")
        .then()
        .statusCode(200)
        .body("$", hasSize(6))
        .body("find { it.service == 'select' }.status", equalTo("UP"))
        .body("find { it.service == 'oracle' }.status", equalTo("UNREACHABLE"))
        .body("find { it.service == 'oracle' }.error", containsString("oracle did not answer"));
    given().when().get("/q/health/ready").then().statusCode(200);
    given().when().get("/q/metrics").then().statusCode(200);
  }

  @Test
  void liveUpdatesArriveAsServerSentEventsWithoutThePoolSizedLists() throws Exception {
    HttpResponse<InputStream> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(base.resolve("/api/events"))
                    .header("Accept", "text/event-stream")
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    Map<String, String> events = new HashMap<>();
    CompletableFuture<Void> reading =
        CompletableFuture.runAsync(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String name = null;
                String line;
                while (events.size() < 4 && (line = lines.readLine()) != null) {
                  if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                  } else if (line.startsWith("data:") && name != null) {
                    synchronized (events) {
                      events.put(name, line.substring(5).trim());
                    }
                  }
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    reading.get(20, TimeUnit.SECONDS);
    assertThat(events).containsKeys("campaigns", "jobs", "vendors", "health");
    assertThat(events.get("campaigns"))
        .contains("\"selectedCount\":1")
        .doesNotContain(StubServices.IMAGE);
    assertThat(events.get("vendors")).contains("oracle");
    assertThat(events.get("health")).contains("UNREACHABLE");
  }

  @Test
  void classSamplesComeFromTheImageCatalogAndImagesFromStorage() {
    ObjectStore store = S3TestResource.objectStore();
    store.put(
        StorageLayout.canonicalImage(StubServices.DATASET, StubServices.IMAGE), PNG, "image/png");
    try (RawProducer producer = new RawProducer(KafkaTestResource.bootstrapServers())) {
      producer.send(
          Topic.IMAGES.topicName(),
          StubServices.IMAGE,
          ImageIngested.newBuilder()
              .setImageId(StubServices.IMAGE)
              .setDataset(StubServices.DATASET)
              .setSplit(Split.SPLIT_POOL)
              .setLabel(1)
              .build()
              .toByteArray());
      producer.send(
          Topic.IMAGES.topicName(),
          "unlabelled",
          ImageIngested.newBuilder()
              .setImageId("fedcba9876543210fedcba9876543210")
              .setDataset(StubServices.DATASET)
              .setSplit(Split.SPLIT_POOL)
              .setLabel(-1)
              .build()
              .toByteArray());
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                given()
                    .when()
                    .get("/api/datasets/" + StubServices.DATASET + "/samples")
                    .then()
                    .statusCode(200)
                    .body("classes.'1'", hasItem(StubServices.IMAGE))
                    .body("classes.keySet()", hasSize(1)));
    byte[] png =
        given()
            .when()
            .get("/api/images/" + StubServices.DATASET + "/" + StubServices.IMAGE)
            .then()
            .statusCode(200)
            .contentType("image/png")
            .extract()
            .asByteArray();
    assertThat(png).isEqualTo(PNG);
    given()
        .when()
        .get("/api/images/" + StubServices.DATASET + "/ffffffffffffffffffffffffffffffff")
        .then()
        .statusCode(404)
        .body("error", equalTo("unknown_image"));
    given().when().get("/api/images/.hidden/" + StubServices.IMAGE).then().statusCode(400);
  }

  @Test
  void downloadsTheLabelsTheLabelledSetAndTheFinalModel() throws Exception {
    ObjectStore store = S3TestResource.objectStore();
    store.put(
        StorageLayout.canonicalImage(StubServices.DATASET, StubServices.IMAGE), PNG, "image/png");
    byte[] onnx = "an onnx model".getBytes(StandardCharsets.UTF_8);
    store.put(
        StorageLayout.modelPrefix("c1-r0") + "classifier.onnx", onnx, "application/octet-stream");

    given()
        .when()
        .get("/api/campaigns/c1/labels?format=csv")
        .then()
        .statusCode(200)
        .header("Content-Disposition", containsString("c1-labels.csv"))
        .body(containsString(StubServices.IMAGE + ",1,happy"));
    given()
        .when()
        .get("/api/campaigns/c1/labels?format=label-studio")
        .then()
        .statusCode(200)
        .header("Content-Disposition", containsString("c1-label-studio.json"));

    byte[] zip =
        given()
            .when()
            .get("/api/campaigns/c1/labelled-set.zip")
            .then()
            .statusCode(200)
            .contentType("application/zip")
            .extract()
            .asByteArray();
    Map<String, byte[]> entries = new HashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        entries.put(e.getName(), in.readAllBytes());
      }
    }
    assertThat(entries)
        .containsOnlyKeys("c1/labels.csv", "c1/train/happy/" + StubServices.IMAGE + ".png");
    assertThat(entries.get("c1/train/happy/" + StubServices.IMAGE + ".png")).isEqualTo(PNG);

    byte[] model =
        given()
            .when()
            .get("/api/campaigns/c1/model.onnx")
            .then()
            .statusCode(200)
            .extract()
            .asByteArray();
    assertThat(model).isEqualTo(onnx);
    given()
        .when()
        .get("/api/campaigns/c2/model.onnx")
        .then()
        .statusCode(404)
        .body("error", equalTo("no_model"));
    given()
        .when()
        .get("/api/campaigns/nope/model.onnx")
        .then()
        .statusCode(404)
        .body("error", equalTo("unknown_campaign"));
  }

  @Test
  void aRoundShowsTheConfusionMatrixTheTrainerStoredBesideItsModel() {
    S3TestResource.objectStore()
        .put(
            StorageLayout.modelPrefix("c1-r0") + "evaluation.json",
            "{\"classes\":[\"calm\",\"happy\"],\"perClassCount\":[2,2],\"confusion\":[[1,1],[1,1]]}"
                .getBytes(StandardCharsets.UTF_8),
            "application/json");
    given()
        .when()
        .get("/api/campaigns/c1")
        .then()
        .statusCode(200)
        .body("rounds[0].confusion[0]", org.hamcrest.Matchers.contains(1, 1))
        .body("rounds[0].perClassCount", org.hamcrest.Matchers.contains(2, 2))
        .body("rounds[0].testAccuracy", equalTo(0.5f));
  }

  @Test
  void theLabellingPageGetsTheUndoWindow() {
    given()
        .when()
        .get("/api/settings")
        .then()
        .statusCode(200)
        .body("undoWindowMillis", equalTo(3000));
  }
}
