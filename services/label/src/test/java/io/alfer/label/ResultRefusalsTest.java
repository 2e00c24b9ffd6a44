package io.alfer.label;

import static io.alfer.label.Fixtures.answer;
import static io.alfer.label.Fixtures.bearer;
import static io.alfer.label.Fixtures.bootstrap;
import static io.alfer.label.Fixtures.select;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alfer.core.messaging.Topic;
import io.alfer.label.state.LabelState;
import io.alfer.proto.v1.LabelAssigned;
import io.alfer.proto.v1.LabelTask;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.ReceivedRecord;
import io.alfer.testkit.S3TestResource;
import io.alfer.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a vendor sends that the contract does not allow is refused with a stable reason, over Kafka
 * (on the dead-letter topic, the consumer going on) and over HTTP (a JSON error, never a 5xx):
 * fields of another JSON type than the contract's, a result without a Content-Type, a body over the
 * limits.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class ResultRefusalsTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String ACME = "acme-secret-key";

  @Inject LabelState state;

  @TestHTTPResource("/vendor/tasks")
  URI tasksUri;

  @BeforeEach
  void datasetAndReplay() throws Exception {
    Fixtures.defineDataset();
    assertThat(state.awaitReady(WAIT)).isTrue();
  }

  @Test
  void resultsWithFieldsOfAnotherJsonTypeAreDeadLetteredAndTheConsumerGoesOn() {
    String campaign = "c-strict-kafka";
    long acmeBefore = refused("acme", "invalid_field_type");
    long noneBefore = refused("(none)", "invalid_field_type");
    try (TopicProbe taskProbe = Fixtures.taskProbe();
        TopicProbe dlq = Fixtures.refusedResultProbe();
        TopicProbe labelProbe = TopicProbe.fromNow(bootstrap(), Topic.LABELS.topicName())) {
      select(campaign, 0, List.of("sk-1"), List.of("acme"), 1);
      String t = LabelServiceTest.tasks(taskProbe, campaign, 1).get(0).getTaskId();

      List<String> bad =
          List.of(
              "{\"taskId\":\"" + t + "\",\"vendor\":\"acme\",\"label\":[\"sad\"]}",
              "{\"taskId\":12345,\"vendor\":\"acme\",\"label\":\"sad\"}",
              "{\"taskId\":\""
                  + t
                  + "\",\"vendor\":\"acme\",\"label\":\"sad\",\"confidence\":\"1\"}",
              "{\"taskId\":\"" + t + "\",\"vendor\":[\"acme\"],\"label\":\"sad\"}");
      bad.forEach(json -> Fixtures.sendRaw("acme", t, json.getBytes(StandardCharsets.UTF_8)));
      answer(t, "acme", "x", "happy");

      List<ReceivedRecord> dead = dlq.await(r -> t.equals(r.key()), 4, WAIT);
      // Each is there as it was sent, with the reason and what was wrong.
      assertThat(dead).extracting(ReceivedRecord::valueAsString).containsExactlyElementsOf(bad);
      assertThat(dead)
          .extracting(r -> r.header("dead-letter-reason"))
          .containsOnly("invalid_field_type");
      assertThat(dead)
          .extracting(r -> r.header("dead-letter-cause"))
          .containsExactly(
              "field 'label' must be a string, not an array: [\"sad\"]",
              "field 'taskId' must be a string, not a number: 12345",
              "field 'confidence' must be a number, not a string: \"1\"",
              "field 'vendor' must be a string, not an array: [\"acme\"]");

      // The answer after them was read and accepted: the image is labelled.
      List<LabelAssigned> labels =
          LabelServiceTest.labels(labelProbe, campaign, 1).stream().toList();
      assertThat(labels.get(0).getLabelName()).isEqualTo("happy");
    }
    // Counted against the vendor whose topic they arrived on, whatever they name.
    assertThat(refused("acme", "invalid_field_type")).isEqualTo(acmeBefore + 4);
    assertThat(refused("(none)", "invalid_field_type")).isEqualTo(noneBefore);
  }

  @Test
  void resultsPostedWithFieldsOfAnotherJsonTypeAreRefusedAndNothingIsWritten() {
    String campaign = "c-strict-http";
    try (TopicProbe taskProbe = Fixtures.taskProbe();
        TopicProbe results = Fixtures.resultProbe()) {
      select(campaign, 0, List.of("sh-1"), List.of("acme"), 1);
      String t = LabelServiceTest.tasks(taskProbe, campaign, 1).get(0).getTaskId();

      Map<String, String> refusals =
          Map.of(
              "{\"label\":[\"sad\"]}", "field 'label' must be a string, not an array: [\"sad\"]",
              "{\"taskId\":7,\"label\":\"sad\"}",
                  "field 'taskId' must be a string, not a number: 7",
              "{\"label\":\"sad\",\"confidence\":\"0.9\"}",
                  "field 'confidence' must be a number, not a string: \"0.9\"",
              "{\"label\":\"sad\",\"answeredAt\":1764589325}",
                  "field 'answeredAt' must be a string, not a number: 1764589325");
      refusals.forEach(
          (body, message) ->
              given()
                  .headers(bearer(ACME))
                  .contentType("application/json")
                  .body(body)
                  .post("/vendor/tasks/" + t + "/result")
                  .then()
                  .statusCode(400)
                  .contentType("application/json")
                  .body("error", equalTo("invalid_field_type"))
                  .body("message", equalTo(message)));
      given()
          .headers(bearer(ACME))
          .contentType("application/json")
          .body("{\"label\":\"sad\",\"label\":\"happy\"}")
          .post("/vendor/tasks/" + t + "/result")
          .then()
          .statusCode(400)
          .body("error", equalTo("malformed"))
          .body("message", containsString("Duplicate field 'label'"));

      given()
          .headers(bearer(ACME))
          .contentType("application/json")
          .body("{\"label\":\"sad\",\"confidence\":0.5}")
          .post("/vendor/tasks/" + t + "/result")
          .then()
          .statusCode(202);
      // Only the accepted answer was written (one task id: one partition, in order).
      results.await(r -> t.equals(r.key()), 1, WAIT);
      assertThat(results.received().stream().filter(r -> t.equals(r.key())))
          .singleElement()
          .satisfies(r -> assertThat(r.valueAsString()).contains("\"label\":\"sad\""));
    }
  }

  @Test
  void everyRefusalOfAPostedResultIsJsonWithAStableReason() throws Exception {
    String campaign = "c-http-refusals";
    LabelTask task;
    try (TopicProbe taskProbe = Fixtures.taskProbe()) {
      select(campaign, 0, List.of("hr-1"), List.of("acme"), 1);
      task = LabelServiceTest.tasks(taskProbe, campaign, 1).get(0);
    }
    URI result = URI.create(tasksUri + "/" + task.getTaskId() + "/result");
    String good = "{\"label\":\"sad\"}";

    try (TopicProbe results = Fixtures.resultProbe()) {
      // No Content-Type: the contract says JSON, so 415 like any other type.
      assertThat(
              assertError(post(result, null, publisher(good, true)), 415, "unsupported_media_type"))
          .contains("no Content-Type");
      assertError(post(result, "text/plain", publisher(good, true)), 415, "unsupported_media_type");
      assertError(post(result, ";;;/=", publisher(good, true)), 415, "unsupported_media_type");

      // 50 MB with its length: refused from the headers, before the body is read, naming the
      // HTTP limit. Sent as a client should send a large body (Expect: 100-continue), so the
      // refusal arrives without the 50 MB being sent.
      Answer huge = announceBody(result, 50 * 1024 * 1024);
      assertThat(assertError(huge, 413, "too_large"))
          .isEqualTo(
              "the body is 52428800 bytes, more than the 10485760 bytes this service accepts");
      // Under the HTTP limit but over the result limit, with or without a length (chunked).
      byte[] big =
          ("{\"label\":\"sad\",\"pad\":\"" + "x".repeat(100_000) + "\"}")
              .getBytes(StandardCharsets.UTF_8);
      assertThat(
              assertError(post(result, "application/json", publisher(big, true)), 413, "too_large"))
          .contains("65536 bytes");
      assertThat(
              assertError(
                  post(result, "application/json", publisher(big, false)), 413, "too_large"))
          .contains("65536 bytes");

      // The service is ready still, nothing of the above was written, and a good answer passes.
      given().when().get("/q/health/ready").then().statusCode(200);
      Answer accepted = post(result, "application/json", publisher(good, true));
      assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
      results.await(r -> task.getTaskId().equals(r.key()), 1, WAIT);
      assertThat(results.received().stream().filter(r -> task.getTaskId().equals(r.key())))
          .hasSize(1);
    }
  }

  /** The refusals of {@code reason} counted against {@code vendor} on the topic (0 if none). */
  static long refused(String vendor, String reason) {
    List<Map<String, Object>> all = given().when().get("/vendors").then().extract().path("");
    return all.stream()
        .filter(v -> vendor.equals(v.get("vendor")))
        .map(v -> ((Map<?, ?>) v.get("refused")).get(reason))
        .filter(n -> n != null)
        .mapToLong(n -> ((Number) n).longValue())
        .sum();
  }

  static HttpRequest.BodyPublisher publisher(String body, boolean withLength) {
    return publisher(body.getBytes(StandardCharsets.UTF_8), withLength);
  }

  /** A body with a Content-Length, or sent chunked. */
  static HttpRequest.BodyPublisher publisher(byte[] body, boolean withLength) {
    HttpRequest.BodyPublisher bytes = HttpRequest.BodyPublishers.ofByteArray(body);
    return withLength ? bytes : HttpRequest.BodyPublishers.fromPublisher(bytes);
  }

  /** Posts with the JDK's client, which (unlike REST Assured) sends no Content-Type of its own. */
  static Answer post(URI uri, String contentType, HttpRequest.BodyPublisher body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(WAIT)
            .header("Authorization", "Bearer " + ACME)
            .POST(body);
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    HttpResponse<String> response =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(
        response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(null),
        response.body());
  }

  /**
   * Sends the head of a POST of {@code length} bytes of JSON with {@code Expect: 100-continue} and
   * returns the server's answer to it (the server closes the connection after a refusal).
   */
  static Answer announceBody(URI uri, long length) throws Exception {
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout((int) WAIT.toMillis());
      String head =
          "POST "
              + uri.getRawPath()
              + " HTTP/1.1\r\nHost: "
              + uri.getHost()
              + ":"
              + uri.getPort()
              + "\r\nAuthorization: Bearer "
              + ACME
              + "\r\nContent-Type: application/json\r\nContent-Length: "
              + length
              + "\r\nExpect: 100-continue\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return Answer.parse(answer);
    }
  }

  /** An HTTP answer: status, Content-Type and body. */
  record Answer(int status, String contentType, String body) {
    /** Parses an HTTP/1.1 answer read off a socket. */
    static Answer parse(String answer) {
      int end = answer.indexOf("\r\n\r\n");
      assertThat(end).as(answer).isPositive();
      String[] lines = answer.substring(0, end).split("\r\n");
      String contentType =
          java.util.Arrays.stream(lines)
              .filter(l -> l.regionMatches(true, 0, "content-type:", 0, 13))
              .map(l -> l.substring(13).trim())
              .findFirst()
              .orElse(null);
      return new Answer(
          Integer.parseInt(lines[0].split(" ")[1]), contentType, answer.substring(end + 4));
    }
  }

  /** Asserts a JSON error answer and returns its message. */
  static String assertError(Answer answer, int status, String reason) throws Exception {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.contentType()).as(answer.body()).startsWith("application/json");
    JsonNode body = MAPPER.readTree(answer.body());
    assertThat(body.path("error").asText()).as(answer.body()).isEqualTo(reason);
    return body.path("message").asText();
  }
}
