package io.alfer.experiment.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** JSON over HTTP against a local server answering as the services do (or do not). */
class HttpJsonTest {
  private HttpServer server;
  private HttpJson client;

  private void answer(String path, int status, String body) {
    server.createContext(
        path,
        exchange -> {
          byte[] bytes =
              (path.equals("/echo")
                      ? new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
                      : body)
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
  }

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    answer(
        "/campaigns/c1",
        200,
        "{\"state\": \"running\", \"rounds\": [{\"round\": 0, \"labelledTotal\": 12,"
            + " \"testAccuracy\": 0.5, \"perClassAccuracy\": [0.25, \"NaN\", NaN]}]}");
    answer("/campaigns/gone", 404, "");
    answer("/page", 500, "Internal Server Error");
    answer("/list", 200, "[1, 2]");
    answer("/echo", 201, "");
    server.start();
    client =
        new HttpJson(
            URI.create("http://localhost:" + server.getAddress().getPort() + "/"), "select");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void readsAnAnswerAndItsMembers() {
    JsonNode campaign = client.get("/campaigns/c1").orElseThrow();
    assertThat(HttpJson.text(campaign, "state")).isEqualTo("running");
    JsonNode round = campaign.get("rounds").get(0);
    assertThat(HttpJson.integer(round, "round")).isZero();
    assertThat(HttpJson.integer(round, "labelledTotal")).isEqualTo(12);
    assertThat(HttpJson.number(round.get("testAccuracy"))).isEqualTo(0.5);
    JsonNode perClass = round.get("perClassAccuracy");
    assertThat(HttpJson.number(perClass.get(0))).isEqualTo(0.25);
    assertThat(HttpJson.number(perClass.get(1))).as("Jackson's \"NaN\"").isNaN();
    assertThat(HttpJson.number(perClass.get(2))).as("a bare NaN").isNaN();
    assertThatThrownBy(() -> HttpJson.integer(round, "epochs"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no epochs");
    assertThatThrownBy(() -> HttpJson.integer(round, "testAccuracy"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("testAccuracy is not a whole number");
    assertThatThrownBy(() -> HttpJson.text(campaign, "rounds"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("rounds is not a string");
    assertThatThrownBy(() -> HttpJson.number(campaign.get("state")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not a number: \"running\"");
  }

  @Test
  void aMissingResourceIsEmptyAndOtherFailuresQuoteTheAnswer() {
    assertThat(client.get("/campaigns/gone")).isEmpty();
    assertThatThrownBy(() -> client.get("/page"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "the select service answered GET /page with 500:"
                + " {\"message\":\"Internal Server Error\"}");
    assertThatThrownBy(() -> client.get("/list"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("answered GET /list with [1,2], not a JSON object");
  }

  @Test
  void postsTheBodyWithoutItsNullValues() throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("jobId", "pre-1");
    body.put("baseModelId", null);
    body.put("pretrain", Map.of("epochs", 3, "temperature", 0.5));
    HttpJson.Response response = client.post("/echo", body);
    assertThat(response.status()).isEqualTo(201);
    assertThat(response.body())
        .isEqualTo(
            new ObjectMapper()
                .readTree(
                    "{\"jobId\": \"pre-1\", \"pretrain\": {\"epochs\": 3, \"temperature\": 0.5}}"));
  }
}
