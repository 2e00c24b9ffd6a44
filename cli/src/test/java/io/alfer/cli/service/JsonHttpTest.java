package io.alfer.cli.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

class JsonHttpTest {
  final JsonHttp select = new JsonHttp("select", URI.create("http://127.0.0.1:8085"));
  final HttpRequest post =
      HttpRequest.newBuilder(URI.create("http://127.0.0.1:8085/campaigns"))
          .POST(HttpRequest.BodyPublishers.noBody())
          .build();

  @Test
  void aServicesJsonRefusalIsShownByItsReasonAndMessage() {
    String text =
        select.refusal(
            post, 400, "{\"error\":\"unknown_strategy\",\"message\":\"unknown strategy 'nope'\"}");

    assertThat(text)
        .isEqualTo(
            "select refused POST /campaigns (400 unknown_strategy): unknown strategy 'nope'");
  }

  @Test
  void aServerErrorIsAFailureNotARefusal() {
    assertThat(select.refusal(post, 503, "{\"error\":\"not_ready\",\"message\":\"Kafka down\"}"))
        .startsWith("select failed POST /campaigns (503 not_ready)");
  }

  @Test
  void anythingElseIsShownAsItCame() {
    assertThat(select.refusal(post, 502, "<html>bad gateway</html>"))
        .isEqualTo("select: POST /campaigns answered 502: <html>bad gateway</html>");
  }
}
