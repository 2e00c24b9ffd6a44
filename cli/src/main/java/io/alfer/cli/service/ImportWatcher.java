package io.alfer.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.alfer.cli.stack.StackException;
import java.io.PrintWriter;
import java.time.Duration;

/** Follows an import to its end, drawing a progress line. */
public final class ImportWatcher {
  private ImportWatcher() {}

  /** Polls the import until it is no longer running; returns its final view. */
  public static JsonNode follow(IngestClient ingest, String id, PrintWriter out) {
    JsonNode view = watch(ingest, id, out);
    if (!"SUCCEEDED".equals(view.path("state").asText())) {
      throw new StackException("import " + id + " failed: " + view.path("error").asText());
    }
    return view;
  }

  /**
   * Polls the import until it is no longer running, drawing its progress line; returns its final
   * view, whatever its state.
   */
  public static JsonNode watch(IngestClient ingest, String id, PrintWriter out) {
    JsonNode view = ingest.importView(id);
    while ("RUNNING".equals(view.path("state").asText())) {
      out.print("\r" + line(view));
      out.flush();
      try {
        Thread.sleep(Duration.ofMillis(500).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StackException("interrupted", e);
      }
      view = ingest.importView(id);
    }
    out.println("\r" + line(view));
    return view;
  }

  private static String line(JsonNode v) {
    long done = v.path("done").asLong();
    long total = v.path("total").asLong();
    int width = 30;
    int filled = total > 0 ? (int) Math.min(width, done * width / total) : 0;
    return String.format(
        "importing [%s%s] %d/%d  %.0f images/s  accepted %d, duplicates %d, refused %d   ",
        "#".repeat(filled),
        " ".repeat(width - filled),
        done,
        total,
        v.path("imagesPerSecond").asDouble(),
        v.path("accepted").asLong(),
        v.path("duplicates").asLong(),
        v.path("refused").asLong());
  }
}
