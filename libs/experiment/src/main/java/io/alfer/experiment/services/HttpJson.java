package io.alfer.experiment.services;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** JSON over HTTP for the service clients: errors name the call and quote the service's answer. */
final class HttpJson {
  private static final Gson GSON = new Gson();
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
            .POST(HttpRequest.BodyPublishers.ofString(GSON.toJson(body)))
            .build();
    return send("POST " + path, request);
  }

  /** GETs a path; empty on 404. */
  Optional<JsonObject> get(String path) {
    HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET().build();
    Response response = send("GET " + path, request);
    if (response.status() == 404) {
      return Optional.empty();
    }
    if (response.status() / 100 != 2) {
      throw response.failure();
    }
    return Optional.of(response.body().getAsJsonObject());
  }

  private Response send(String call, HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonElement body;
      try {
        body = r.body().isBlank() ? new JsonObject() : JsonParser.parseString(r.body());
      } catch (RuntimeException e) {
        body = new JsonObject();
        ((JsonObject) body).addProperty("message", r.body());
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

  record Response(String service, String call, int status, JsonElement body) {
    IllegalStateException failure() {
      return new IllegalStateException(
          "the " + service + " service answered " + call + " with " + status + ": " + body);
    }
  }
}
