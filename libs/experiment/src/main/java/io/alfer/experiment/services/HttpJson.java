package io.alfer.experiment.services;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** JSON over HTTP for the service clients: errors name the call and quote the service's answer. */
final class HttpJson {
  /**
   * Bodies leave null values out; answers may hold bare {@code NaN}, and an answer that is not
   * wholly JSON (an error page) is kept as the {@code message} of an object.
   */
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .defaultPropertyInclusion(
              JsonInclude.Value.construct(
                  JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final URI base;
  private final String service;

  HttpJson(URI base, String service) {
    this.base = base;
    this.service = service;
  }

  /** POSTs a JSON body; returns the status and the parsed answer. */
  Response post(String path, Object body) {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json(body)))
            .build();
    return send("POST " + path, request);
  }

  /** GETs a path; empty on 404. */
  Optional<JsonNode> get(String path) {
    HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET().build();
    Response response = send("GET " + path, request);
    if (response.status() == 404) {
      return Optional.empty();
    }
    if (response.status() / 100 != 2) {
      throw response.failure();
    }
    if (!response.body().isObject()) {
      throw new IllegalStateException(
          "the "
              + service
              + " service answered GET "
              + path
              + " with "
              + response.body()
              + ", not a JSON object");
    }
    return Optional.of(response.body());
  }

  /** A request body as sent. */
  static String json(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot send " + body + " as JSON", e);
    }
  }

  private Response send(String call, HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode body;
      try {
        body = r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
      } catch (JsonProcessingException e) {
        body = JSON.createObjectNode().put("message", r.body());
      }
      return new Response(service, call, r.statusCode(), body);
    } catch (IOException e) {
      throw new IllegalStateException(
          "the " + service + " service at " + base + " does not answer " + call + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while calling the " + service + " service", e);
    }
  }

  record Response(String service, String call, int status, JsonNode body) {
    IllegalStateException failure() {
      return new IllegalStateException(
          "the " + service + " service answered " + call + " with " + status + ": " + body);
    }
  }

  /**
   * A member of an answer.
   *
   * @throws IllegalStateException naming the member when the answer leaves it out or null
   */
  static JsonNode member(JsonNode answer, String name) {
    JsonNode value = answer.get(name);
    if (value == null || value.isNull()) {
      throw new IllegalStateException("the answer has no " + name + ": " + answer);
    }
    return value;
  }

  /** A string member of an answer (a number or boolean as its JSON text). */
  static String text(JsonNode answer, String name) {
    JsonNode value = member(answer, name);
    if (!value.isValueNode()) {
      throw new IllegalStateException(name + " is not a string: " + answer);
    }
    return value.asText();
  }

  /** A whole-number member of an answer. */
  static int integer(JsonNode answer, String name) {
    JsonNode value = member(answer, name);
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new IllegalStateException(name + " is not a whole number: " + answer);
    }
    return value.intValue();
  }

  /**
   * A number of an answer: a JSON number, or a string holding one (Jackson, the services' JSON,
   * writes {@code NaN} as {@code "NaN"}).
   */
  static double number(JsonNode value) {
    if (value.isNumber()) {
      return value.doubleValue();
    }
    if (value.isTextual()) {
      try {
        return Double.parseDouble(value.textValue());
      } catch (NumberFormatException e) {
        // not a number: fails below
      }
    }
    throw new IllegalStateException("not a number: " + value);
  }
}
