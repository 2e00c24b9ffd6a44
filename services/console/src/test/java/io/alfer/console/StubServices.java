package io.alfer.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The other services' REST APIs as canned answers on one loopback HTTP server, for the console's
 * own tests (the real services are exercised by e2e's browser tests): ingest, trainer, embed, label
 * and select all point here; the oracle points at a port where nothing listens.
 */
public class StubServices implements QuarkusTestResourceLifecycleManager {
  static final String IMAGE = "0123456789abcdef0123456789abcdef";
  static final String DATASET = "stub-fer";

  static final String CAMPAIGN =
      """
      {"campaignId":"c1","state":"running","phase":"labelling","message":"round 1: waiting",
       "spec":{"dataset":"stub-fer","strategy":"margin","initialStrategy":"random","rounds":2},
       "labelledTotal":1,"updatedAt":"2026-12-05T10:00:00Z",
       "rounds":[{"round":0,"selected":[{"imageId":"%s","score":0.5}],"labelled":1,
                  "unanswered":[],"labelledTotal":1,"modelId":"c1-r0","testAccuracy":0.5,
                  "perClassAccuracy":[0.5,0.5],"provenance":{"strategy":"random","seed":1}}]}
      """
          .formatted(IMAGE);

  /** {@link #CAMPAIGN} as select's {@code view=summary} shows it. */
  static final String SUMMARY =
      """
      {"campaignId":"c1","state":"running","phase":"labelling","message":"round 1: waiting",
       "spec":{"dataset":"stub-fer","strategy":"margin","initialStrategy":"random","rounds":2},
       "labelledTotal":1,"updatedAt":"2026-12-05T10:00:00Z",
       "rounds":[{"round":0,"selected":null,"selectedCount":1,"labelled":1,
                  "unanswered":null,"unansweredCount":0,"labelledTotal":1,"modelId":"c1-r0",
                  "testAccuracy":0.5,"perClassAccuracy":[0.5,0.5],"provenance":null}]}
      """;

  static final String LABELS =
      "campaign_id,round,dataset,image_id,label,label_name,agreement,annotations,method\r\n"
          + "c1,0,stub-fer,"
          + IMAGE
          + ",1,happy,1.0000,1,majority\r\n";

  private HttpServer server;

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.createContext("/", this::answer);
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    return Map.of(
        "alfer.console.ingest-url", base,
        "alfer.console.trainer-url", base,
        "alfer.console.embed-url", base,
        "alfer.console.label-url", base,
        "alfer.console.select-url", base,
        "alfer.console.oracle-url", "http://127.0.0.1:" + closedPort(),
        "alfer.console.poll", "PT0.2S",
        "alfer.console.timeout", "PT3S");
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private void answer(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    String query = exchange.getRequestURI().getRawQuery();
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    if (method.equals("GET") && path.equals("/q/health")) {
      send(exchange, 200, "application/json", "{\"status\":\"UP\",\"checks\":[]}");
    } else if (method.equals("GET") && path.equals("/campaigns")) {
      send(
          exchange,
          200,
          "application/json",
          "[" + ("view=summary".equals(query) ? SUMMARY : CAMPAIGN) + "]");
    } else if (method.equals("GET") && path.equals("/campaigns/c1")) {
      send(exchange, 200, "application/json", CAMPAIGN);
    } else if (method.equals("GET") && path.equals("/campaigns/c1/labels")) {
      if ("format=csv".equals(query)) {
        send(exchange, 200, "text/csv; charset=utf-8", LABELS);
      } else {
        send(exchange, 200, "application/json", "[{\"id\":1}]");
      }
    } else if (method.equals("GET") && path.equals("/campaigns/c2")) {
      send(
          exchange,
          200,
          "application/json",
          "{\"campaignId\":\"c2\",\"rounds\":[{\"round\":0,\"modelId\":\"\",\"testAccuracy\":null}]}");
    } else if (method.equals("GET") && path.startsWith("/campaigns/")) {
      send(
          exchange,
          404,
          "application/json",
          "{\"error\":\"unknown_campaign\",\"message\":\"no campaign\"}");
    } else if (method.equals("POST") && path.equals("/campaigns")) {
      if (body.contains("\"initialSize\":1")) {
        send(
            exchange,
            400,
            "application/json",
            "{\"error\":\"impossible_size\",\"message\":\"the initial set needs at least 2 images\"}");
      } else {
        send(exchange, 201, "application/json", "{\"campaignId\":\"c9\",\"state\":\"running\"}");
      }
    } else if (path.startsWith("/vendor/tasks")) {
      if (!"Bearer good-key".equals(auth)) {
        send(exchange, 401, "application/json", "{\"error\":\"unauthorized\",\"message\":\"no\"}");
      } else if (method.equals("POST")) {
        send(
            exchange,
            410,
            "application/json",
            "{\"error\":\"late\",\"message\":\"" + body.length() + "\"}");
      } else {
        send(exchange, 200, "application/json", "[]");
      }
    } else if (method.equals("GET") && path.equals("/vendors")) {
      send(exchange, 200, "application/json", "[{\"vendor\":\"oracle\",\"issued\":1}]");
    } else if (method.equals("GET") && path.equals("/jobs")) {
      send(exchange, 200, "application/json", "[]");
    } else if (method.equals("GET") && path.equals("/datasets")) {
      send(exchange, 200, "application/json", "[]");
    } else {
      send(
          exchange,
          404,
          "application/json",
          "{\"error\":\"not_found\",\"message\":\"" + path + "\"}");
    }
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
