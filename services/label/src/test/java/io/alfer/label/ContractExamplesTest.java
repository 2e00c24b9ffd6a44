package io.alfer.label;

import static io.alfer.label.Fixtures.bearer;
import static io.alfer.label.Fixtures.bootstrap;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors;
import com.google.protobuf.util.JsonFormat;
import io.alfer.core.messaging.CloudEvents;
import io.alfer.core.messaging.Topic;
import io.alfer.core.messaging.VendorTopics;
import io.alfer.core.storage.StorageLayout;
import io.alfer.label.config.LabelConfig;
import io.alfer.label.contract.ContractJson;
import io.alfer.label.messaging.Publisher;
import io.alfer.label.state.LabelState;
import io.alfer.label.state.Ledger;
import io.alfer.label.state.Refusal;
import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.LabelAssigned;
import io.alfer.proto.v1.LabelResult;
import io.alfer.proto.v1.LabelTask;
import io.alfer.proto.v1.SelectedImage;
import io.alfer.proto.v1.SelectionMade;
import io.alfer.proto.v1.Taxonomy;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.RawProducer;
import io.alfer.testkit.ReceivedRecord;
import io.alfer.testkit.S3TestResource;
import io.alfer.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/vendor-contract.md} true. Its field tables must list exactly the fields of
 * {@code LabelTask} and {@code LabelResult}; its example task must have the key, header names and
 * JSON fields of a task the service really writes on alfer.label-tasks (ids and times may differ);
 * its example result, sent on alfer.label-results as a vendor would (and posted over HTTP), must be
 * accepted and reconciled into a label; and the result the service itself writes for an HTTP answer
 * must have the example's header names and fields. The records seen are printed in the document's
 * form, ready to paste when the contract changes.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class ContractExamplesTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final Path CONTRACT = Path.of("../../docs/vendor-contract.md");
  static final Path README = Path.of("README.md");
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** The defaults the document's example was written with (task-ttl and url-ttl). */
  static final Duration DOC_TASK_TTL = Duration.ofHours(24);

  static final Duration DOC_URL_TTL = Duration.ofHours(48);

  /** Header values fixed by the contract, whoever writes the record. */
  static final Map<String, String> FIXED_TASK_HEADERS =
      Map.of(
          CloudEvents.SPECVERSION, "1.0",
          CloudEvents.TYPE, CloudEvents.LABEL_TASK_TYPE,
          CloudEvents.SOURCE, "/alfer/label",
          CloudEvents.CONTENT_TYPE, "application/json");

  static final Map<String, String> FIXED_RESULT_HEADERS =
      Map.of(
          CloudEvents.SPECVERSION, "1.0",
          CloudEvents.TYPE, CloudEvents.LABEL_RESULT_TYPE,
          CloudEvents.CONTENT_TYPE, "application/json");

  @Inject LabelState state;
  @Inject LabelConfig config;

  /** A record as the document shows it. */
  record Example(String topic, String key, Map<String, String> headers, JsonNode value) {}

  @Test
  void theFieldTablesAndExamplesListEveryFieldOfTheMessages() throws IOException {
    String doc = Files.readString(CONTRACT);
    Set<String> taskFields = fieldsOf(LabelTask.getDescriptor(), "");
    Set<String> resultFields = fieldsOf(LabelResult.getDescriptor(), "");

    assertThat(fieldTable(doc, "task")).containsExactlyElementsOf(taskFields);
    assertThat(fieldTable(doc, "result")).containsExactlyElementsOf(resultFields);
    assertThat(leaves(example(doc, "task").value()).keySet()).isEqualTo(new TreeSet<>(taskFields));
    assertThat(leaves(example(doc, "result").value()).keySet())
        .isEqualTo(new TreeSet<>(resultFields));
  }

  @Test
  void theExampleTaskIsWhatTheServiceWritesAndTheExampleResultIsAccepted() throws Exception {
    String doc = Files.readString(CONTRACT);
    Example docTask = example(doc, "task");
    Example docResult = example(doc, "result");
    LabelTask documented = parseTask(docTask.value());
    LabelResult documentedResult = parseResult(docResult.value());
    checkTheExamplesAgreeWithEachOther(docTask, documented, docResult, documentedResult);

    // The service, driven as the select service would, for the example's image and vendor.
    String campaign =
        documented.getCampaignId() + "-" + UUID.randomUUID().toString().substring(0, 8);
    String dataset = documented.getDataset();
    List<String> classes = documented.getTaxonomy().getClassesList();
    assertThat(state.awaitReady(WAIT)).isTrue();
    defineDataset(dataset, classes);
    awaitDataset(dataset, documented.getVendor());
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 'x'};
    S3TestResource.objectStore()
        .put(StorageLayout.canonicalImage(dataset, documented.getImageId()), png, "image/png");

    try (TopicProbe tasks = Fixtures.taskProbe();
        TopicProbe results = Fixtures.resultProbe();
        TopicProbe labels = TopicProbe.fromNow(bootstrap(), Topic.LABELS.topicName())) {
      select(campaign, documented);
      List<ReceivedRecord> issued =
          tasks.await(
              r -> Fixtures.task(r).getCampaignId().equals(campaign),
              documented.getAnnotationsWanted(),
              WAIT);
      ReceivedRecord real =
          issued.stream()
              .filter(r -> Fixtures.task(r).getSlot() == documented.getSlot())
              .findFirst()
              .orElseThrow();
      LabelTask task = Fixtures.task(real);
      print("task", real, task);

      // Key, header names and order, fixed header values, JSON fields and their JSON types.
      assertThat(real.topic()).isEqualTo(docTask.topic());
      assertThat(real.key()).isEqualTo(task.getTaskId()).isEqualTo(real.header(CloudEvents.ID));
      assertThat(List.copyOf(real.headers().keySet()))
          .as("header names of a real task, in order")
          .containsExactlyElementsOf(docTask.headers().keySet());
      FIXED_TASK_HEADERS.forEach(
          (name, value) -> assertThat(real.header(name)).as(name).isEqualTo(value));
      assertThat(real.header(CloudEvents.SUBJECT)).isEqualTo(task.getImageId());
      JsonNode realJson = MAPPER.readTree(real.value());
      assertThat(leaves(realJson)).isEqualTo(leaves(docTask.value()));

      // The values that do not depend on the run are the document's.
      assertThat(task.getTaskId())
          .isEqualTo(
              Ledger.taskId(
                  campaign, task.getRound(), task.getImageId(), task.getSlot(), task.getAttempt()));
      assertThat(withoutRunValues(task)).isEqualTo(withoutRunValues(documented));
      Instant issuedAt = Instant.parse(real.header(CloudEvents.TIME));
      assertThat(instant(task.getUrlExpiresAt())).isEqualTo(issuedAt.plus(config.urlTtl()));
      assertThat(Duration.between(issuedAt.plus(config.taskTtl()), instant(task.getDeadline())))
          .isBetween(Duration.ofSeconds(-10), Duration.ZERO);
      URI url = URI.create(task.getImageUrl());
      URI docUrl = URI.create(documented.getImageUrl());
      assertThat(url.getPath())
          .isEqualTo(
              "/"
                  + S3TestResource.settings().bucket()
                  + "/"
                  + StorageLayout.canonicalImage(dataset, task.getImageId()));
      assertThat(docUrl.getPath()).isEqualTo(url.getPath());
      assertThat(query(url).keySet()).isEqualTo(query(docUrl).keySet());
      assertThat(query(url).get("X-Amz-Expires"))
          .isEqualTo(Long.toString(config.urlTtl().toSeconds()));
      HttpResponse<byte[]> image =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .build()
              .send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(image.statusCode()).isEqualTo(200);
      assertThat(image.body()).isEqualTo(png);

      // The HTTP alternative shows the same JSON form.
      String overHttp =
          given()
              .headers(bearer("acme-secret-key"))
              .when()
              .get("/vendor/tasks/" + task.getTaskId())
              .then()
              .statusCode(200)
              .extract()
              .asString();
      assertThat(leaves(MAPPER.readTree(overHttp))).isEqualTo(leaves(docTask.value()));

      // Every slot answered with the example result: over Kafka with the example's headers, and
      // one slot over HTTP with the example's JSON as the body.
      List<LabelTask> all = issued.stream().map(Fixtures::task).toList();
      LabelTask byHttp =
          all.stream().filter(t -> t.getSlot() != documented.getSlot()).findFirst().orElse(null);
      int n = 0;
      for (LabelTask t : all) {
        ObjectNode body = docResult.value().deepCopy();
        body.put("taskId", t.getTaskId());
        body.put("annotator", documentedResult.getAnnotator() + (n++ == 0 ? "" : "-" + n));
        body.put("answeredAt", Instant.now().toString());
        if (t == byHttp) {
          String accepted =
              given()
                  .headers(bearer("acme-secret-key"))
                  .contentType("application/json")
                  .body(body.toString())
                  .when()
                  .post("/vendor/tasks/" + t.getTaskId() + "/result")
                  .then()
                  .statusCode(202)
                  .extract()
                  .asString();
          assertThat(leaves(MAPPER.readTree(accepted))).isEqualTo(leaves(docResult.value()));
        } else {
          sendAsVendor(docResult, t.getTaskId(), body);
        }
      }

      // The result the service writes for the HTTP answer has the example's headers and fields.
      if (byHttp != null) {
        ReceivedRecord written =
            results
                .await(
                    r ->
                        byHttp.getTaskId().equals(r.key())
                            && (Publisher.SOURCE + "/vendors/acme")
                                .equals(r.header(CloudEvents.SOURCE)),
                    1,
                    WAIT)
                .get(0);
        print("result", written, null);
        assertThat(List.copyOf(written.headers().keySet()))
            .as("header names of a result written by the service, in order")
            .containsExactlyElementsOf(docResult.headers().keySet());
        FIXED_RESULT_HEADERS.forEach(
            (name, value) -> assertThat(written.header(name)).as(name).isEqualTo(value));
        assertThat(written.header(CloudEvents.SUBJECT)).isEqualTo(byHttp.getTaskId());
        assertThat(leaves(MAPPER.readTree(written.value()))).isEqualTo(leaves(docResult.value()));
      }

      // Accepted, every one: the image gets its label from all the annotations.
      LabelAssigned label =
          labels
              .await(r -> r.key().equals(campaign + "/" + documented.getImageId()), 1, WAIT)
              .stream()
              .map(Fixtures::label)
              .findFirst()
              .orElseThrow();
      assertThat(label.getAnnotations()).isEqualTo(documented.getAnnotationsWanted());
      assertThat(label.getLabelName()).isEqualTo(documentedResult.getLabel());
      assertThat(label.getAgreement()).isEqualTo(1.0);
    }
  }

  @Test
  void everyReasonOfARefusalIsDocumented() throws IOException {
    String contract = Files.readString(CONTRACT);
    String readme = Files.readString(README);
    Set<Refusal> selectionsOnly =
        EnumSet.of(
            Refusal.UNKNOWN_DATASET,
            Refusal.UNKNOWN_VENDOR,
            Refusal.CLAIM_MISSING,
            Refusal.CLAIM_CORRUPT,
            Refusal.CLAIM_UNDECODABLE);
    for (Refusal refusal : Refusal.values()) {
      assertThat(readme).as("README names " + refusal).contains("`" + refusal.code() + "`");
      if (!selectionsOnly.contains(refusal)) {
        assertThat(contract)
            .as("the contract names " + refusal)
            .contains("`" + refusal.code() + "`");
      }
    }
  }

  @Test
  void everyMetricTheReadmeNamesIsExposed() throws Exception {
    Set<String> named = new TreeSet<>();
    Matcher m = Pattern.compile("`(alfer_label_[a-z_]+)").matcher(Files.readString(README));
    while (m.find()) {
      named.add(m.group(1));
    }
    assertThat(named).isNotEmpty();
    assertThat(state.awaitReady(WAIT)).isTrue();
    Fixtures.defineDataset();
    awaitDataset(Fixtures.DATASET, "acme");
    // A refused result and a refused selection, so that every counter has been touched.
    try (TopicProbe resultsDlq = Fixtures.refusedResultProbe();
        TopicProbe selectionsDlq = TopicProbe.fromNow(bootstrap(), Topic.SELECTIONS.dlqName());
        TopicProbe tasks = Fixtures.taskProbe();
        TopicProbe labels = TopicProbe.fromNow(bootstrap(), Topic.LABELS.topicName())) {
      String unknown = "metrics-" + UUID.randomUUID();
      Fixtures.answer(unknown, "acme", "m", "happy");
      resultsDlq.await(r -> unknown.equals(r.key()), 1, WAIT);
      String campaign = "c-metrics-" + UUID.randomUUID().toString().substring(0, 8);
      Fixtures.select(campaign, 0, List.of("m-1"), List.of("initech"), 1);
      selectionsDlq.await(r -> campaign.equals(r.key()), 1, WAIT);
      Fixtures.select(campaign, 0, List.of("m-1"), List.of("acme"), 1);
      String taskId =
          Fixtures.task(
                  tasks
                      .await(r -> Fixtures.task(r).getCampaignId().equals(campaign), 1, WAIT)
                      .get(0))
              .getTaskId();
      Fixtures.answer(taskId, "acme", "m", "happy");
      labels.await(r -> r.key().startsWith(campaign + "/"), 1, WAIT);
    }
    String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    Set<String> exposed =
        Arrays.stream(metrics.split("\n"))
            .filter(l -> l.startsWith("alfer_label_"))
            .map(l -> l.split("[{ ]", 2)[0])
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(exposed).containsAll(named);
    assertThat(named).as("every alfer_label_ metric is documented").containsAll(exposed);
  }

  // --- the document ----------------------------------------------------------------------------

  /** The fenced block after {@code <!-- example:NAME -->}, parsed. */
  static Example example(String doc, String name) throws IOException {
    List<String> block = blockAfter(doc, "<!-- example:" + name + " -->");
    String topic = null;
    String key = null;
    Map<String, String> headers = new LinkedHashMap<>();
    StringBuilder json = new StringBuilder();
    String section = "";
    for (String line : block) {
      if (section.equals("value")) {
        json.append(line).append('\n');
      } else if (line.startsWith("topic:")) {
        topic = line.substring("topic:".length()).trim();
      } else if (line.startsWith("key:")) {
        key = line.substring("key:".length()).trim();
      } else if (line.equals("headers:")) {
        section = "headers";
      } else if (line.equals("value:")) {
        section = "value";
      } else if (section.equals("headers") && line.startsWith("  ")) {
        int colon = line.indexOf(": ");
        assertThat(colon).as("header line '%s' of example %s", line, name).isPositive();
        headers.put(line.substring(0, colon).trim(), line.substring(colon + 2).trim());
      } else if (!line.isBlank()) {
        throw new AssertionError("unexpected line in example " + name + ": " + line);
      }
    }
    assertThat(topic).as("topic of example %s", name).isNotNull();
    assertThat(key).as("key of example %s", name).isNotNull();
    return new Example(topic, key, headers, MAPPER.readTree(json.toString()));
  }

  /** The first column of the table after {@code <!-- fields:NAME -->}, without backticks. */
  static List<String> fieldTable(String doc, String name) {
    String marker = "<!-- fields:" + name + " -->";
    int at = doc.indexOf(marker);
    assertThat(at).as("marker %s in %s", marker, CONTRACT).isNotNegative();
    List<String> rows =
        doc.substring(at + marker.length()).lines().dropWhile(String::isBlank).toList();
    List<String> fields = new ArrayList<>();
    for (String row : rows.stream().takeWhile(l -> l.startsWith("|")).skip(2).toList()) {
      fields.add(row.split("\\|")[1].trim().replace("`", ""));
    }
    return fields;
  }

  static List<String> blockAfter(String doc, String marker) {
    int at = doc.indexOf(marker);
    assertThat(at).as("marker %s in %s", marker, CONTRACT).isNotNegative();
    List<String> lines =
        doc.substring(at + marker.length()).lines().dropWhile(String::isBlank).toList();
    assertThat(lines.get(0)).as("a fenced block after %s", marker).startsWith("```");
    return lines.stream().skip(1).takeWhile(l -> !l.startsWith("```")).toList();
  }

  static void checkTheExamplesAgreeWithEachOther(
      Example docTask, LabelTask task, Example docResult, LabelResult result) {
    assertThat(docTask.topic()).isEqualTo(VendorTopics.tasks(task.getVendor()));
    assertThat(docResult.topic()).isEqualTo(VendorTopics.results(task.getVendor()));
    FIXED_TASK_HEADERS.forEach(
        (name, value) -> assertThat(docTask.headers().get(name)).as(name).isEqualTo(value));
    FIXED_RESULT_HEADERS.forEach(
        (name, value) -> assertThat(docResult.headers().get(name)).as(name).isEqualTo(value));
    assertThat(docTask.key())
        .isEqualTo(task.getTaskId())
        .isEqualTo(docTask.headers().get(CloudEvents.ID))
        .isEqualTo(
            Ledger.taskId(
                task.getCampaignId(),
                task.getRound(),
                task.getImageId(),
                task.getSlot(),
                task.getAttempt()));
    assertThat(docTask.headers().get(CloudEvents.SUBJECT)).isEqualTo(task.getImageId());
    Instant issuedAt = Instant.parse(docTask.headers().get(CloudEvents.TIME));
    assertThat(instant(task.getUrlExpiresAt())).isEqualTo(issuedAt.plus(DOC_URL_TTL));
    assertThat(Duration.between(issuedAt.plus(DOC_TASK_TTL), instant(task.getDeadline())))
        .isBetween(Duration.ofSeconds(-10), Duration.ZERO);
    assertThat(query(URI.create(task.getImageUrl())).get("X-Amz-Expires"))
        .isEqualTo(Long.toString(DOC_URL_TTL.toSeconds()));
    assertThat(task.getSlot()).isBetween(0, task.getAnnotationsWanted() - 1);
    assertThat(task.getAnnotationsWanted()).as("one slot answered over HTTP").isGreaterThan(1);

    assertThat(docResult.key()).isEqualTo(result.getTaskId()).isEqualTo(task.getTaskId());
    assertThat(docResult.headers().get(CloudEvents.SUBJECT)).isEqualTo(task.getTaskId());
    assertThat(Instant.parse(docResult.headers().get(CloudEvents.TIME))).isNotNull();
    assertThat(result.getVendor()).isEqualTo(task.getVendor());
    assertThat(task.getTaxonomy().getClassesList()).contains(result.getLabel());
    assertThat(instant(result.getAnsweredAt())).isBefore(instant(task.getDeadline()));
  }

  // --- driving the service -----------------------------------------------------------------------

  static void defineDataset(String dataset, List<String> classes) {
    try (RawProducer p = new RawProducer(bootstrap())) {
      p.send(
          Topic.DATASETS.topicName(),
          dataset,
          DatasetDefined.newBuilder()
              .setDataset(dataset)
              .setTaxonomy(Taxonomy.newBuilder().addAllClasses(classes))
              .setWidth(48)
              .setHeight(48)
              .build()
              .toByteArray());
    }
  }

  static void select(String campaign, LabelTask like) {
    SelectionMade s =
        SelectionMade.newBuilder()
            .setCampaignId(campaign)
            .setRound(like.getRound())
            .setDataset(like.getDataset())
            .addImages(SelectedImage.newBuilder().setImageId(like.getImageId()).setScore(1))
            .addVendors(like.getVendor())
            .setAnnotationsPerImage(like.getAnnotationsWanted())
            .build();
    try (RawProducer p = new RawProducer(bootstrap())) {
      p.send(Topic.SELECTIONS.topicName(), campaign, s.toByteArray());
    }
  }

  /** Sends a result as the example shows it: its headers, with this run's id, time and subject. */
  static void sendAsVendor(Example example, String taskId, JsonNode body) {
    Map<String, String> headers = new LinkedHashMap<>(example.headers());
    headers.put(CloudEvents.ID, UUID.randomUUID().toString());
    headers.put(CloudEvents.TIME, Instant.now().toString());
    headers.put(CloudEvents.SUBJECT, taskId);
    try (RawProducer p = new RawProducer(bootstrap())) {
      p.send(example.topic(), taskId, body.toString().getBytes(StandardCharsets.UTF_8), headers);
    }
  }

  // --- helpers -----------------------------------------------------------------------------------

  /** JSON field paths of a message type as protobuf's JSON mapping writes them. */
  static Set<String> fieldsOf(Descriptors.Descriptor type, String prefix) {
    Set<String> out = new java.util.LinkedHashSet<>();
    for (Descriptors.FieldDescriptor f : type.getFields()) {
      String name = prefix + f.getJsonName();
      boolean nested =
          f.getJavaType() == Descriptors.FieldDescriptor.JavaType.MESSAGE
              && !f.isRepeated()
              && !f.getMessageType().getFullName().startsWith("google.protobuf.");
      if (nested) {
        out.addAll(fieldsOf(f.getMessageType(), name + "."));
      } else {
        out.add(name);
      }
    }
    return out;
  }

  /** Every leaf of a JSON object by dotted path, with its JSON type. */
  static Map<String, JsonNodeType> leaves(JsonNode node) {
    Map<String, JsonNodeType> out = new TreeMap<>();
    collect("", node, out);
    return out;
  }

  private static void collect(String prefix, JsonNode node, Map<String, JsonNodeType> out) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e ->
                  collect(
                      prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
                      e.getValue(),
                      out));
    } else {
      out.put(prefix, node.getNodeType());
    }
  }

  static LabelTask parseTask(JsonNode json) {
    return ContractJson.parseTask(json.toString().getBytes(StandardCharsets.UTF_8));
  }

  static LabelResult parseResult(JsonNode json) {
    return ContractJson.parseResult(json.toString());
  }

  /** A task without the values that differ between runs: ids, URL and times. */
  static LabelTask withoutRunValues(LabelTask t) {
    return t.toBuilder()
        .clearTaskId()
        .clearCampaignId()
        .clearImageUrl()
        .clearUrlExpiresAt()
        .clearDeadline()
        .build();
  }

  static Instant instant(com.google.protobuf.Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  static Map<String, String> query(URI uri) {
    Map<String, String> out = new TreeMap<>();
    for (String pair : uri.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      out.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return out;
  }

  /** Prints a record in the document's form (pretty JSON), to paste when the contract changes. */
  static void print(String name, ReceivedRecord r, LabelTask task) throws Exception {
    StringBuilder out = new StringBuilder("<!-- example:" + name + " -->\n```text\n");
    out.append("topic: ").append(r.topic()).append('\n');
    out.append("key: ").append(r.key()).append('\n');
    out.append("headers:\n");
    r.headers().forEach((k, v) -> out.append("  ").append(k).append(": ").append(v).append('\n'));
    out.append("value:\n");
    String pretty =
        task != null
            ? JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(task)
            : JsonFormat.printer()
                .alwaysPrintFieldsWithNoPresence()
                .print(ContractJson.parseResult(r.value()));
    out.append(pretty).append("\n```\n");
    System.out.println(out);
  }

  /** Waits (bounded) until the service knows a dataset: a selection for it would be planned. */
  void awaitDataset(String dataset, String vendor) {
    SelectionMade empty =
        SelectionMade.newBuilder().setCampaignId("probe").setDataset(dataset).build();
    await("dataset " + dataset + " read from alfer.datasets")
        .atMost(WAIT)
        .until(
            () ->
                state
                    .ledger()
                    .plan(
                        empty,
                        Instant.now(),
                        v -> Duration.ofHours(1),
                        List.of(vendor),
                        Set.of(vendor)),
            plan -> plan.refusal() == null);
  }
}
