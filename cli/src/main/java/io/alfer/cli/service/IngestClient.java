package io.alfer.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alfer.cli.stack.StackException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** The ingest service's REST API, as the CLI uses it. */
public final class IngestClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public IngestClient(URI base) {
    this.base = base;
  }

  /** Uploads a dataset file for bulk import; returns the import's view (with its id). */
  public JsonNode startImport(String dataset, Path file, String layout) {
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(base.resolve("/datasets/" + dataset + "/imports?layout=" + layout))
              .header("Content-Type", "application/octet-stream")
              .POST(HttpRequest.BodyPublishers.ofFile(file))
              .build();
    } catch (java.io.FileNotFoundException e) {
      throw new StackException("no such file: " + file, e);
    }
    return send(request, 202);
  }

  /** The progress view of an import. */
  public JsonNode importView(String id) {
    return send(HttpRequest.newBuilder(base.resolve("/imports/" + id)).GET().build(), 200);
  }

  /** The summary of a dataset. */
  public JsonNode dataset(String dataset) {
    return send(HttpRequest.newBuilder(base.resolve("/datasets/" + dataset)).GET().build(), 200);
  }

  private JsonNode send(HttpRequest request, int expected) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != expected) {
        throw new StackException(
            request.method()
                + " "
                + request.uri()
                + " answered "
                + response.statusCode()
                + ": "
                + response.body());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new StackException("cannot reach ingest at " + base + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted", e);
    }
  }
}
