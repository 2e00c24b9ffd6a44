package io.alfer.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.alfer.cli.service.TrainerClient;
import io.alfer.cli.stack.Polling;
import io.alfer.cli.stack.StackException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Set;

/**
 * Follows a trainer job to its end, printing a line per epoch with the representation's quality
 * (k-NN and linear-probe accuracy on the labelled test split) when the trainer measured it.
 */
public final class PretrainWatcher {
  private static final Set<String> ENDED = Set.of("succeeded", "failed", "cancelled", "rejected");

  private PretrainWatcher() {}

  /**
   * Polls the job until it ends; returns its final view.
   *
   * @throws StackException when the job does not succeed
   */
  public static JsonNode follow(TrainerClient trainer, String jobId, PrintWriter out) {
    int printed = 0;
    String lastState = "";
    while (true) {
      JsonNode job = trainer.job(jobId);
      String state = job.path("state").asText();
      // One line per completed epoch, from the job's history: its mean loss and quality are the
      // training's own (the same on every run of the same seed); speed and ETA are the moment's.
      JsonNode history = job.path("history");
      for (; printed < history.size(); printed++) {
        JsonNode point = history.get(printed);
        out.printf(
            "  pre-training epoch %d/%d  loss %.3f%s  %.0f images/s  ETA %s%n",
            point.path("epoch").asInt(),
            job.path("epochs").asInt(),
            point.path("loss").asDouble(),
            quality(point),
            job.path("imagesPerSecond").asDouble(),
            CampaignWatcher.duration(job.path("etaSeconds").asDouble()));
        out.flush();
      }
      if (!state.equals(lastState) && !"running".equals(state)) {
        out.printf("  %s: %s%n", jobId, state);
        out.flush();
      }
      lastState = state;
      if (ENDED.contains(state)) {
        if (!"succeeded".equals(state)) {
          throw new StackException(
              "pre-training " + jobId + " " + state + ": " + job.path("message").asText());
        }
        return job;
      }
      Polling.pause(Duration.ofSeconds(1));
    }
  }

  /** An epoch's k-NN and probe accuracy, when measured. */
  static String quality(JsonNode point) {
    JsonNode knn = point.path("knnAccuracy");
    JsonNode probe = point.path("linearProbeAccuracy");
    if (!knn.isNumber()) {
      return "";
    }
    return "  k-NN "
        + CampaignWatcher.percent(knn.asDouble())
        + (probe.isNumber() ? "  linear probe " + CampaignWatcher.percent(probe.asDouble()) : "");
  }
}
