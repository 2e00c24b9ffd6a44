package io.alfer.ingest;

import static io.alfer.ingest.BulkImportTest.announced;
import static io.alfer.ingest.BulkImportTest.definitionsAnnounced;
import static io.alfer.ingest.BulkImportTest.ferRow;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.StorageLayout;
import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.ImageIngested;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Defining a dataset, as a new user would: with only a size (classes from the first import), by an
 * import that says its size, with classes in another order than the data's, and with classes that
 * clash — through the real broker and S3 of the test kit.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class DatasetDefinitionTest {
  private static final List<String> FER7 =
      List.of("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral");

  static ObjectStore store() {
    return S3TestResource.objectStore();
  }

  /** Image folders {@code train/<class>/} with one or two images per class, distinct per seed. */
  static byte[] folders(long seed, String... classes) {
    Archives archive = new Archives();
    for (int i = 0; i < classes.length; i++) {
      archive.add(
          "set/train/" + classes[i] + "/a.png", Fixtures.image(seed * 100 + i, 50, 50, "png"));
    }
    archive.add(
        "set/test/" + classes[0] + "/b.png", Fixtures.image(seed * 100 + 99, 50, 50, "png"));
    return archive.zip();
  }

  static io.restassured.response.ValidatableResponse put(String dataset, String json) {
    return given().contentType(ContentType.JSON).body(json).put("/datasets/" + dataset).then();
  }

  static io.restassured.response.ValidatableResponse importZip(
      String dataset, byte[] zip, Map<String, ?> query) {
    return given()
        .contentType("application/zip")
        .body(zip)
        .queryParams(query)
        .queryParam("wait", true)
        .post("/datasets/" + dataset + "/imports")
        .then();
  }

  /** Label of each announced image by the folder of its source: class folder → label. */
  static Map<String, Integer> labelsByFolder(String dataset) {
    return announced(dataset).stream()
        .collect(
            Collectors.toMap(
                e -> e.getSource().split("/")[1] + "/" + e.getSource().split("/")[2],
                ImageIngested::getLabel));
  }

  @Test
  void aDatasetDefinedWithOnlyASizeTakesItsClassesFromItsFirstImport() {
    put("sized", "{\"size\":32}")
        .statusCode(201)
        .body("pending", equalTo(true))
        .body("width", equalTo(32))
        .body("taxonomy", empty());
    // Not announced (every consumer of alfer.datasets needs the classes); kept in object storage.
    assertThat(definitionsAnnounced("sized")).isEmpty();
    assertThat(store().exists(StorageLayout.datasetDraft("sized"))).isTrue();
    assertThat(store().exists(StorageLayout.datasetDefinition("sized"))).isFalse();
    given()
        .get("/datasets/sized")
        .then()
        .statusCode(200)
        .body("pending", equalTo(true))
        .body("width", equalTo(32))
        .body("images", equalTo(0));
    given()
        .get("/datasets")
        .then()
        .statusCode(200)
        .body("find { it.name == 'sized' }.pending", equalTo(true));
    put("sized", "{\"size\":32}").statusCode(200).body("pending", equalTo(true));

    // A single upload cannot tell the classes: refused, nothing written.
    List<String> before = store().listKeys("");
    given()
        .contentType("image/png")
        .body(Fixtures.image(700, 40, 40, "png"))
        .queryParam("label", "happy")
        .post("/datasets/sized/images")
        .then()
        .statusCode(409)
        .body("error", equalTo("classes_unknown"))
        .body(
            "message",
            equalTo(
                "dataset 'sized' takes its classes from its first import, and it has had none:"
                    + " import the dataset first (POST /datasets/sized/imports), or define its"
                    + " classes (PUT /datasets/sized with \"classes\")"));
    assertThat(store().listKeys("")).containsExactlyInAnyOrderElementsOf(before);
    assertThat(announced("sized")).isEmpty();

    // The first import defines it: the folders' classes, the pending size.
    importZip("sized", folders(1, "tense", "calm"), Map.of())
        .statusCode(200)
        .body("state", equalTo("SUCCEEDED"))
        .body("accepted", equalTo(3));
    given()
        .get("/datasets/sized")
        .then()
        .statusCode(200)
        .body("pending", equalTo(false))
        .body("width", equalTo(32))
        .body("layout", equalTo("image-folder"))
        .body("taxonomy", equalTo(List.of("calm", "tense")));
    List<DatasetDefined> defined = definitionsAnnounced("sized");
    assertThat(defined).hasSize(1);
    assertThat(defined.get(0).getTaxonomy().getClassesList()).containsExactly("calm", "tense");
    assertThat(defined.get(0).getWidth()).isEqualTo(32);
    assertThat(announced("sized")).hasSize(3).allMatch(e -> e.getWidth() == 32);
    assertThat(store().exists(StorageLayout.datasetDraft("sized"))).isFalse();
    assertThat(store().exists(StorageLayout.datasetDefinition("sized"))).isTrue();

    // Defined now: another size is refused naming both, the same size (or none) is fine.
    put("sized", "{\"size\":64}")
        .statusCode(409)
        .body("error", equalTo("size_mismatch"))
        .body(
            "message",
            equalTo(
                "dataset 'sized' has size 32 (32x32 images); the request asks for size 64: leave"
                    + " the size out to use 32, or use another dataset name"));
    put("sized", "{}").statusCode(200).body("taxonomy", equalTo(List.of("calm", "tense")));
  }

  @Test
  void aFer2013CsvIntoAPendingDatasetTakesFersSevenClasses() {
    put("fer-pending", "{\"size\":24}").statusCode(201);
    Random random = new Random(5);
    String csv =
        String.join(
            "\n",
            "emotion,pixels,Usage",
            ferRow(random, 3, "Training"),
            ferRow(random, 6, "PublicTest"));
    given()
        .contentType("text/csv")
        .body(csv.getBytes(StandardCharsets.UTF_8))
        .queryParam("wait", true)
        .post("/datasets/fer-pending/imports")
        .then()
        .statusCode(200)
        .body("accepted", equalTo(2));
    given()
        .get("/datasets/fer-pending")
        .then()
        .body("taxonomy", equalTo(FER7))
        .body("width", equalTo(24))
        .body("layout", equalTo("fer2013-csv"));
    assertThat(announced("fer-pending"))
        .extracting(ImageIngested::getLabel)
        .containsExactlyInAnyOrder(3, 6);
  }

  @Test
  void classesGivenAfterOnlyASizeKeepThatSize() {
    put("later-classes", "{\"size\":40}").statusCode(201);
    put("later-classes", "{\"classes\":[\"yes\",\"no\"]}")
        .statusCode(201)
        .body("pending", equalTo(false))
        .body("width", equalTo(40))
        .body("taxonomy", equalTo(List.of("yes", "no")));
    assertThat(store().exists(StorageLayout.datasetDraft("later-classes"))).isFalse();
    assertThat(definitionsAnnounced("later-classes")).hasSize(1);
    // A pending dataset has no images yet: another PUT replaces it.
    put("resized", "{\"size\":40}").statusCode(201);
    put("resized", "{\"size\":56}").statusCode(200).body("width", equalTo(56));
    given().get("/datasets/resized").then().body("width", equalTo(56));
  }

  @Test
  void anImportSaysItsSizeAndDefinesTheDataset() {
    importZip("imp-sized", folders(2, "calm", "tense"), Map.of("size", 40))
        .statusCode(200)
        .body("state", equalTo("SUCCEEDED"));
    given()
        .get("/datasets/imp-sized")
        .then()
        .body("width", equalTo(40))
        .body("taxonomy", equalTo(List.of("calm", "tense")));
    assertThat(announced("imp-sized")).hasSize(3).allMatch(e -> e.getWidth() == 40);

    // The same size (or none) again: fine, everything already there.
    importZip("imp-sized", folders(2, "calm", "tense"), Map.of("size", 40))
        .statusCode(200)
        .body("duplicates", equalTo(3));
    importZip("imp-sized", folders(2, "calm", "tense"), Map.of()).statusCode(200);

    // Another size: refused whole, naming both, and nothing is written.
    List<String> before = store().listKeys("");
    importZip("imp-sized", folders(3, "calm", "tense"), Map.of("size", 64))
        .statusCode(409)
        .body("error", equalTo("size_mismatch"))
        .body(
            "message",
            equalTo(
                "dataset 'imp-sized' has size 40 (40x40 images); the import asks for size 64:"
                    + " leave the size out to use 40, or use another dataset name"))
        .body("details.size", equalTo(40))
        .body("details.asked", equalTo(64));
    assertThat(store().listKeys("")).containsExactlyInAnyOrderElementsOf(before);
    assertThat(announced("imp-sized")).hasSize(3);
    assertThat(definitionsAnnounced("imp-sized")).hasSize(1);

    // A form carries the size as a field (or in the query).
    given()
        .multiPart("file", "faces.zip", folders(4, "calm", "tense"), "application/zip")
        .multiPart("size", "36")
        .queryParam("wait", true)
        .post("/datasets/form-sized/imports")
        .then()
        .statusCode(200);
    given().get("/datasets/form-sized").then().body("width", equalTo(36));
    given()
        .multiPart("file", "faces.zip", folders(5, "calm", "tense"), "application/zip")
        .multiPart("size", "36")
        .queryParam("size", "48")
        .queryParam("wait", true)
        .post("/datasets/form-sized-2/imports")
        .then()
        .statusCode(400)
        .body("error", equalTo("bad_size"));
  }

  @Test
  void anImportIntoAPendingDatasetOfAnotherSizeIsRefusedNamingBoth() {
    put("pending-32", "{\"size\":32}").statusCode(201);
    List<String> before = store().listKeys("");
    importZip("pending-32", folders(6, "calm", "tense"), Map.of("size", 48))
        .statusCode(409)
        .body("error", equalTo("size_mismatch"))
        .body(
            "message",
            equalTo(
                "dataset 'pending-32' was defined with size 32 (32x32 images, classes from its"
                    + " first import); the import asks for size 48: leave the size out to use 32,"
                    + " or use another dataset name"));
    assertThat(store().listKeys("")).containsExactlyInAnyOrderElementsOf(before);
    assertThat(definitionsAnnounced("pending-32")).isEmpty();
    given().get("/datasets/pending-32").then().body("pending", equalTo(true));
  }

  @Test
  void badSizesAreRefusedNamingTheSize() {
    for (String size : List.of("abc", "4", "1000", "48.5")) {
      importZip("bad-size", folders(7, "calm", "tense"), Map.of("size", size))
          .statusCode(400)
          .body("error", equalTo("bad_size"));
    }
    given()
        .contentType("application/zip")
        .body(folders(7, "calm", "tense"))
        .queryParam("size", "abc")
        .post("/datasets/bad-size/imports")
        .then()
        .statusCode(400)
        .body(
            "message",
            equalTo(
                "size 'abc' is not a whole number of pixels (the side of the square images, 8..512)"));
    put("bad-size", "{\"size\":4}")
        .statusCode(400)
        .body("error", equalTo("bad_size"))
        .body("message", equalTo("canonical size 4 is outside 8..512"));
    put("bad-size", "{\"classes\":[]}").statusCode(400).body("error", equalTo("bad_taxonomy"));
    given().get("/datasets/bad-size").then().statusCode(404);
    assertThat(store().exists(StorageLayout.datasetDraft("bad-size"))).isFalse();
  }

  @Test
  void imageFoldersMapByNameOntoTheDefinitionsOrder() {
    put("ordered", "{\"classes\":[\"tense\",\"Calm\",\"sleepy\"]}").statusCode(201);
    // The folders sort as calm, tense; the definition's order wins, and its spelling; sleepy is
    // defined but has no folder, which is fine.
    importZip("ordered", folders(8, "calm", "TENSE"), Map.of())
        .statusCode(200)
        .body("accepted", equalTo(3));
    assertThat(labelsByFolder("ordered"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("train/TENSE", 0, "train/calm", 1, "test/calm", 1));
    given()
        .get("/datasets/ordered")
        .then()
        .body("taxonomy", equalTo(List.of("tense", "Calm", "sleepy")))
        .body("classes.find { it.name == 'tense' }.pool", equalTo(1))
        .body("classes.find { it.name == 'Calm' }.pool", equalTo(1))
        .body("classes.find { it.name == 'Calm' }.test", equalTo(1))
        .body("classes.find { it.name == 'sleepy' }.pool", equalTo(0));
    assertThat(definitionsAnnounced("ordered")).hasSize(1);
  }

  @Test
  void aFer2013CsvMapsByNameOntoFersClassesInAnotherOrder() {
    put(
            "fer-reordered",
            "{\"classes\":[\"neutral\",\"happy\",\"sad\",\"angry\",\"disgust\",\"fear\","
                + "\"surprise\"]}")
        .statusCode(201);
    Random random = new Random(9);
    String csv =
        String.join(
            "\n",
            "emotion,pixels,Usage",
            ferRow(random, 3, "Training"), // happy
            ferRow(random, 6, "Training")); // neutral
    given()
        .contentType("text/csv")
        .body(csv.getBytes(StandardCharsets.UTF_8))
        .queryParam("wait", true)
        .post("/datasets/fer-reordered/imports")
        .then()
        .statusCode(200)
        .body("accepted", equalTo(2));
    assertThat(announced("fer-reordered"))
        .extracting(ImageIngested::getLabel)
        .containsExactlyInAnyOrder(1, 0);
  }

  @Test
  void classesThatClashAreRefusedNamingTheExactDifferenceAndWriteNothing() {
    put("mine", "{\"classes\":" + json(FER7) + "}").statusCode(201);
    List<String> before = store().listKeys("");
    String expected =
        "image folder has classes [contempt] that dataset 'mine' does not define (defined: angry,"
            + " disgust, fear, happy, sad, surprise, neutral); it defines [angry, disgust, fear,"
            + " sad, surprise, neutral], which the image folder lacks (that alone is fine)";
    importZip("mine", folders(10, "happy", "contempt"), Map.of())
        .statusCode(409)
        .body("error", equalTo("taxonomy_mismatch"))
        .body("message", equalTo(expected))
        .body("details.notDefined", equalTo(List.of("contempt")))
        .body("details.notInData", hasSize(6))
        .body("details.defined", equalTo(FER7))
        .body("details.data", equalTo(List.of("contempt", "happy")));
    // Without wait as well: refused before anything is read.
    given()
        .contentType("application/zip")
        .body(folders(10, "happy", "contempt"))
        .post("/datasets/mine/imports")
        .then()
        .statusCode(409)
        .body("message", equalTo(expected));
    // Nothing written: no images, no second definition, no object.
    assertThat(store().listKeys("")).containsExactlyInAnyOrderElementsOf(before);
    assertThat(announced("mine")).isEmpty();
    assertThat(definitionsAnnounced("mine")).hasSize(1);

    // A FER2013 CSV into a dataset of other classes names FER's classes it lacks.
    put("moods2", "{\"classes\":[\"happy\",\"sad\",\"calm\"]}").statusCode(201);
    Random random = new Random(11);
    given()
        .contentType("text/csv")
        .body(
            ("emotion,pixels,Usage\n" + ferRow(random, 3, "Training"))
                .getBytes(StandardCharsets.UTF_8))
        .queryParam("wait", true)
        .post("/datasets/moods2/imports")
        .then()
        .statusCode(409)
        .body("error", equalTo("taxonomy_mismatch"))
        .body(
            "message",
            equalTo(
                "FER2013 CSV (FER's seven classes) has classes [angry, disgust, fear, surprise,"
                    + " neutral] that dataset 'moods2' does not define (defined: happy, sad, calm);"
                    + " it defines [calm], which the FER2013 CSV (FER's seven classes) lacks (that"
                    + " alone is fine)"));
    assertThat(announced("moods2")).isEmpty();
  }

  @Test
  void aNewDatasetFromASingleClassFolderIsRefusedSayingWhatToDo() {
    importZip("one-class", folders(12, "happy"), Map.of())
        .statusCode(400)
        .body("error", equalTo("bad_taxonomy"))
        .body(
            "message",
            equalTo(
                "the image folder has only the class [happy], and a new dataset needs at least"
                    + " two: define the dataset's classes first (PUT /datasets/one-class with"
                    + " \"classes\"), or import more classes"));
    given().get("/datasets/one-class").then().statusCode(404);
    // Into a dataset that defines it, one class is fine.
    put("one-class", "{\"classes\":[\"happy\",\"sad\"]}").statusCode(201);
    importZip("one-class", folders(12, "happy"), Map.of()).statusCode(200);
    assertThat(announced("one-class")).extracting(ImageIngested::getLabel).containsOnly(0);
  }

  @Test
  void aPutThatContradictsTheDefinitionNamesTheDifference() {
    put("strict", "{\"classes\":[\"a\",\"b\",\"c\"]}").statusCode(201);
    put("strict", "{\"classes\":[\"b\",\"a\",\"c\"]}")
        .statusCode(409)
        .body("error", equalTo("taxonomy_mismatch"))
        .body(
            "message",
            equalTo(
                "dataset 'strict' is defined with classes [a, b, c], not [b, a, c]: the same"
                    + " classes in another order (or spelling), and a class's label is its place"
                    + " in the definition, which cannot change"));
    put("strict", "{\"classes\":[\"a\",\"b\",\"d\"]}")
        .statusCode(409)
        .body(
            "message",
            equalTo(
                "dataset 'strict' is defined with classes [a, b, c], not [a, b, d]: [d] not"
                    + " defined, [c] missing from the request"))
        .body("details.notDefined", equalTo(List.of("d")))
        .body("details.notInData", equalTo(List.of("c")));
    put("strict", "{\"classes\":[\"a\",\"b\",\"c\"]}").statusCode(200);
  }

  private static String json(List<String> names) {
    return names.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(",", "[", "]"));
  }
}
