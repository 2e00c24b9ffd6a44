package io.alfer.testkit.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fuzzer against a small JDK HTTP server whose answers each test chooses. */
class HttpFuzzTest {
  private static final byte[] CSV = "emotion,pixels,Usage\n3,1 2 3,Training\n".getBytes();
  private static final byte[] JSON = "{\"label\":\"happy\",\"scores\":[1,2]}".getBytes();

  static {
    // Without it the JDK server's small writes wait for delayed ACKs: 40 ms a request.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** Starts a server answering /upload with {@code answer} and /ready with 200. */
  private URI serve(Function<HttpExchange, Answer> answer) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/upload",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          Answer a = answer.apply(exchange);
          byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
          if (a.type() != null) {
            exchange.getResponseHeaders().add("Content-Type", a.type());
          }
          exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.createContext(
        "/ready",
        exchange -> {
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  private record Answer(int status, String type, String body) {
    static Answer refusal(String reason) {
      return new Answer(400, "application/json", "{\"error\":\"" + reason + "\"}");
    }
  }

  private static HttpFuzz fuzz(URI base, long seed) {
    return HttpFuzz.post(base.resolve("upload"))
        .seed(seed)
        .requests(120)
        .body("text/csv", CSV)
        .body("application/json", JSON)
        .form(FormPart.file("file", "faces.csv", "text/csv", CSV), FormPart.field("layout", "auto"))
        .oversized(4096);
  }

  @Test
  void theSameSeedMakesTheSameRequests() {
    URI base = URI.create("http://127.0.0.1:1/");
    List<FuzzRequest> a = fuzz(base, 7).requestsToSend();
    List<FuzzRequest> b = fuzz(base, 7).requestsToSend();
    List<FuzzRequest> c = fuzz(base, 8).requestsToSend();
    assertThat(a).hasSize(120);
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.get(i).describe()).isEqualTo(b.get(i).describe());
      assertThat(a.get(i).body()).isEqualTo(b.get(i).body());
    }
    assertThat(a.stream().map(FuzzRequest::describe).toList())
        .isNotEqualTo(c.stream().map(FuzzRequest::describe).toList());
  }

  @Test
  void theRequestsCoverTheMutationsTheyPromise() {
    List<FuzzRequest> all =
        fuzz(URI.create("http://127.0.0.1:1/"), 3).requests(600).requestsToSend();
    List<String> recipes = all.stream().map(FuzzRequest::recipe).toList();
    for (String part :
        List.of(
            "own-type",
            "no-type",
            "empty-type",
            "garbled-type",
            "other-type",
            "odd-parameters",
            "truncated",
            "bit-flipped",
            "spliced",
            "random-bytes",
            "empty",
            "random-json",
            "json-mutated",
            "oversized",
            "form-none",
            "form-no_closing_boundary",
            "form-other_boundary_in_body",
            "form-file_content_mangled",
            "form+truncated")) {
      assertThat(recipes).as(part).anyMatch(r -> r.contains(part));
    }
    assertThat(all).anyMatch(r -> r.contentType() == null);
    assertThat(all).anyMatch(r -> r.body().length == 4096);
    // a well-formed form names its boundary in its Content-Type
    FuzzRequest form =
        all.stream()
            .filter(r -> r.recipe().equals("own-type + form-none"))
            .findFirst()
            .orElseThrow();
    String boundary = form.contentType().substring(form.contentType().indexOf("boundary=") + 9);
    assertThat(new String(form.body(), StandardCharsets.UTF_8))
        .startsWith("--" + boundary + "\r\n")
        .contains("filename=\"faces.csv\"")
        .endsWith("--" + boundary + "--\r\n");
  }

  @Test
  void jsonRefusalsThatChangeNothingPass() throws IOException {
    URI base = serve(exchange -> Answer.refusal("bad_body"));
    HttpFuzz.Report report =
        fuzz(base, 11).unchangedBy(() -> "same").readyAt(base.resolve("ready")).run();
    assertThat(report.sent()).isEqualTo(120);
    assertThat(report.answered(400, 499)).isEqualTo(120);
    assertThat(report.byReason()).containsEntry("bad_body", 120);
  }

  @Test
  void aServerErrorFailsTheRunNamingTheRequest() throws IOException {
    URI base =
        serve(
            exchange ->
                exchange.getRequestHeaders().getFirst("Content-Type") == null
                    ? new Answer(500, "text/plain", "boom")
                    : Answer.refusal("bad_body"));
    assertThatThrownBy(() -> fuzz(base, 5).run())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("fuzzed requests to POST " + base.resolve("upload"))
        .hasMessageContaining("answered 500: boom")
        .hasMessageMatching("(?s).*seed 5, request \\d+ \\(no-type \\+ .*")
        .hasMessageContaining("(no Content-Type)")
        .hasMessageContaining("body: ");
  }

  @Test
  void aRefusalMustBeJsonWithAReason() throws IOException {
    URI plain = serve(exchange -> new Answer(415, "text/plain", "Unsupported Media Type"));
    assertThatThrownBy(() -> fuzz(plain, 1).requests(3).run())
        .hasMessageContaining("answered 415 as 'text/plain', not JSON");
    stop();
    URI noReason = serve(exchange -> new Answer(400, "application/json", "{\"message\":\"x\"}"));
    assertThatThrownBy(() -> fuzz(noReason, 1).requests(3).run())
        .hasMessageContaining("answered 400 without a 'error'");
    assertThat(fuzz(noReason, 1).requests(3).reasonField("message").run().byReason())
        .containsEntry("x", 3);
  }

  @Test
  void aRefusalThatChangesTheStateFails() throws IOException {
    AtomicInteger stored = new AtomicInteger();
    URI base =
        serve(
            exchange -> {
              stored.incrementAndGet(); // stores even what it refuses
              return Answer.refusal("bad_body");
            });
    assertThatThrownBy(() -> fuzz(base, 2).requests(4).unchangedBy(stored::get).run())
        .hasMessageContaining("4 of 4 fuzzed requests")
        .hasMessageContaining("answered 400 (bad_body) but changed the state")
        .hasMessageContaining("before: 0")
        .hasMessageContaining("after:  1");
  }

  @Test
  void successesMayChangeTheState() throws IOException {
    AtomicInteger stored = new AtomicInteger();
    URI base =
        serve(
            exchange -> {
              stored.incrementAndGet();
              return new Answer(201, "application/json", "{}");
            });
    assertThat(fuzz(base, 2).requests(4).unchangedBy(stored::get).run().answered(200, 299))
        .isEqualTo(4);
  }

  @Test
  void aServiceNoLongerReadyFailsTheRun() throws IOException {
    URI base = serve(exchange -> Answer.refusal("bad_body"));
    assertThatThrownBy(() -> fuzz(base, 2).requests(2).readyAt(base.resolve("missing")).run())
        .hasMessageContaining("after the fuzz, " + base.resolve("missing") + " answered 404");
  }
}
