package io.alfer.cli.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alfer.cli.stack.StackException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

/**
 * JSON over HTTP to one alfer service, as the CLI uses the services' REST APIs: a request that does
 * not answer one of the expected statuses becomes a {@link StackException} naming the service, the
 * request and the answer.
 */
public final class JsonHttp {
  /** Leaves null fields out of request bodies: an absent field takes the service's default. */
  static final ObjectMapper JSON =
      new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private final String service;
  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public JsonHttp(String service, URI base) {
    this.service = service;
    this.base = base;
  }

  /** The service's base URL. */
  public URI base() {
    return base;
  }

  /** {@code GET path}, expecting 200. */
  public JsonNode get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), Set.of(200));
  }

  /** {@code POST path} with a JSON body, expecting one of {@code expected}. */
  public JsonNode post(String path, Object body, Set<Integer> expected) {
    return sendJson("POST", path, body, expected);
  }

  /** {@code PUT path} with a JSON body, expecting one of {@code expected}. */
  public JsonNode put(String path, Object body, Set<Integer> expected) {
    return sendJson("PUT", path, body, expected);
  }

  private JsonNode sendJson(String method, String path, Object body, Set<Integer> expected) {
    String json;
    try {
      json = JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write the request body: " + e.getMessage(), e);
    }
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(json))
            .build(),
        expected);
  }

  /**
   * What an unexpected answer says: the service's own reason and message when the body is its JSON
   * error ({@code {"error","message"}}), e.g. {@code select refused POST /campaigns (400
   * unknown_strategy): unknown strategy 'nope'; known: ...}, else the body as it came.
   */
  String refusal(HttpRequest request, int status, String body) {
    String what = request.method() + " " + request.uri().getPath();
    try {
      JsonNode error = body == null || body.isBlank() ? null : JSON.readTree(body);
      if (error != null && error.hasNonNull("error") && error.hasNonNull("message")) {
        return service
            + (status < 500 ? " refused " : " failed ")
            + what
            + " ("
            + status
            + " "
            + error.path("error").asText()
            + "): "
            + error.path("message").asText();
      }
    } catch (IOException notJson) {
      // answered with something else: shown as it is
    }
    return service + ": " + what + " answered " + status + ": " + body;
  }

  /** Sends a request, expecting one of {@code expected}; returns the JSON answer. */
  public JsonNode send(HttpRequest request, Set<Integer> expected) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (!expected.contains(response.statusCode())) {
        throw new StackException(refusal(request, response.statusCode(), response.body()));
      }
      String body = response.body();
      return body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (IOException e) {
      throw new StackException(
          "cannot reach " + service + " at " + base + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted", e);
    }
  }
}
