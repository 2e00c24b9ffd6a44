package io.alfer.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/** Prints a dataset summary (GET /datasets/{name}) as a table. */
public final class DatasetSummaryTable {
  private DatasetSummaryTable() {}

  public static void print(JsonNode summary, PrintWriter out) {
    out.println();
    out.printf(
        "dataset %s: %d images, %dx%d grayscale, layout %s%n",
        summary.path("name").asText(),
        summary.path("images").asLong(),
        summary.path("width").asInt(),
        summary.path("height").asInt(),
        summary.path("layout").asText());
    out.printf("%-14s %8s %8s %8s%n", "class", "pool", "test", "total");
    long pool = 0;
    long test = 0;
    for (JsonNode c : summary.path("classes")) {
      long p = c.path("pool").asLong();
      long t = c.path("test").asLong();
      if (p + t == 0 && c.path("name").asText().startsWith("(")) {
        continue;
      }
      out.printf("%-14s %8d %8d %8d%n", c.path("name").asText(), p, t, p + t);
      pool += p;
      test += t;
    }
    out.printf("%-14s %8d %8d %8d%n", "all", pool, test, pool + test);
    out.flush();
  }
}
