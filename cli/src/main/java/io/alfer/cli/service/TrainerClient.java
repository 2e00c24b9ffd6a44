package io.alfer.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.alfer.core.api.TrainingJobRequest;
import java.net.URI;
import java.util.Set;

/** The trainer's REST API, as the CLI uses it. */
public final class TrainerClient {
  private final JsonHttp http;

  public TrainerClient(URI base) {
    this.http = new JsonHttp("trainer", base);
  }

  /**
   * Asks for a job (202 new, 200 already known).
   *
   * @return the job's view
   */
  public JsonNode submit(TrainingJobRequest request) {
    return http.post("/jobs", request, Set.of(200, 202));
  }

  /** The job's view: state, epoch/epochs, loss, imagesPerSecond, etaSeconds, modelId, ... */
  public JsonNode job(String jobId) {
    return http.get("/jobs/" + jobId);
  }
}
