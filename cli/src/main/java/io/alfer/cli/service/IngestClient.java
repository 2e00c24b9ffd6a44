package io.alfer.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.alfer.cli.stack.StackException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Set;

/** The ingest service's REST API, as the CLI uses it. */
public final class IngestClient {
  private final JsonHttp http;

  public IngestClient(URI base) {
    this.http = new JsonHttp("ingest", base);
  }

  /** Uploads a dataset file for bulk import; returns the import's view (with its id). */
  public JsonNode startImport(String dataset, Path file, String layout) {
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(
                  http.base().resolve("/datasets/" + dataset + "/imports?layout=" + layout))
              .header("Content-Type", "application/octet-stream")
              .POST(HttpRequest.BodyPublishers.ofFile(file))
              .build();
    } catch (java.io.FileNotFoundException e) {
      throw new StackException("no such file: " + file, e);
    }
    return http.send(request, Set.of(202));
  }

  /** The progress view of an import. */
  public JsonNode importView(String id) {
    return http.get("/imports/" + id);
  }

  /**
   * Defines a dataset with FER's seven classes and a canonical size (its images are resampled to
   * {@code size × size} as they come in); answers its summary. An existing dataset of another size
   * is refused (409).
   */
  public JsonNode define(String dataset, int size) {
    return http.put("/datasets/" + dataset, java.util.Map.of("size", size), Set.of(200, 201));
  }

  /** The summary of a dataset. */
  public JsonNode dataset(String dataset) {
    return http.get("/datasets/" + dataset);
  }
}
