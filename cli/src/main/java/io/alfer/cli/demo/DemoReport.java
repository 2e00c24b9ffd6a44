package io.alfer.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.alfer.experiment.report.Plot;
import io.alfer.experiment.report.ReportWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's result: per-round test accuracy of the campaigns side by side, as a table on the
 * console and as an HTML report with the accuracy-versus-labels plot.
 */
public final class DemoReport {
  /** The report's page, next to {@link #PLOT}. */
  public static final String PAGE = "index.html";

  /** The plot. */
  public static final String PLOT = "accuracy.png";

  /** How to read the numbers: one seed, one small test split. */
  public static final String CAUTION =
      "One run, one seed, a test split of a few hundred faces: a difference of a few points"
          + " between the campaigns is within what another seed changes (the experiment, with"
          + " three seeds, is the evidence); compare both with the largest class's share, what a"
          + " network that learnt nothing scores.";

  private final Map<String, String> names;
  private final Map<String, JsonNode> views;
  private final double majorityAccuracy;

  /**
   * @param names display name per campaign id, in column order
   * @param views the campaigns' final views
   * @param majorityAccuracy test accuracy of always answering the largest class (NaN: unknown)
   */
  public DemoReport(
      Map<String, String> names, Map<String, JsonNode> views, double majorityAccuracy) {
    this.names = names;
    this.views = views;
    this.majorityAccuracy = majorityAccuracy;
  }

  /** Rows of the table: round, then labelled count and accuracy per campaign. */
  public List<String> table() {
    List<String> lines = new ArrayList<>();
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-6s", "round"));
    for (String name : names.values()) {
      header.append(String.format(Locale.ROOT, "  %9s  %-" + width(name) + "s", "labelled", name));
    }
    lines.add(header.toString());
    int rounds = names.keySet().stream().mapToInt(id -> rounds(id).size()).max().orElse(0);
    for (int r = 0; r < rounds; r++) {
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-6d", r));
      for (Map.Entry<String, String> c : names.entrySet()) {
        List<JsonNode> rs = rounds(c.getKey());
        JsonNode round = r < rs.size() ? rs.get(r) : null;
        String labelled = round == null ? "" : Integer.toString(labelled(round));
        String accuracy =
            round == null || !round.hasNonNull("testAccuracy")
                ? "–"
                : CampaignWatcher.percent(round.path("testAccuracy").asDouble());
        row.append(
            String.format(
                Locale.ROOT, "  %9s  %-" + width(c.getValue()) + "s", labelled, accuracy));
      }
      lines.add(row.toString());
    }
    return lines;
  }

  /** Prints the table. */
  public void print(PrintWriter out) {
    out.println();
    out.println("test accuracy per round (held-out split)");
    table().forEach(out::println);
    if (Double.isFinite(majorityAccuracy)) {
      out.printf(
          "always answering the largest class scores %s%n",
          CampaignWatcher.percent(majorityAccuracy));
    }
    out.flush();
  }

  /** The accuracy-versus-labels plot as PNG bytes. */
  public byte[] plotPng() {
    Plot plot =
        ReportWriter.accuracyPlot("alfer demo: test accuracy against labels", majorityAccuracy);
    for (Map.Entry<String, String> c : names.entrySet()) {
      List<double[]> points = new ArrayList<>();
      for (JsonNode r : rounds(c.getKey())) {
        if (r.hasNonNull("testAccuracy")) {
          points.add(new double[] {labelled(r), 100 * r.path("testAccuracy").asDouble()});
        }
      }
      double[] x = points.stream().mapToDouble(p -> p[0]).toArray();
      double[] y = points.stream().mapToDouble(p -> p[1]).toArray();
      plot.add(new Plot.Series(c.getValue(), x, y, new double[x.length], false));
    }
    return plot.png();
  }

  /** Writes {@link #PAGE} and {@link #PLOT} into {@code directory}; returns the page. */
  public Path write(Path directory, String title, List<String> notes) {
    try {
      Files.createDirectories(directory);
      Files.write(directory.resolve(PLOT), plotPng());
      StringBuilder html = new StringBuilder();
      html.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
          .append("<title>")
          .append(escape(title))
          .append("</title>\n<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto}")
          .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 10px;")
          .append("text-align:right}th{background:#f4f4f4}</style></head><body>\n<h1>")
          .append(escape(title))
          .append("</h1>\n<ul>\n");
      for (String note : notes) {
        html.append("<li>").append(escape(note)).append("</li>\n");
      }
      html.append("</ul>\n<img src=\"")
          .append(PLOT)
          .append("\" alt=\"accuracy against labels\">\n");
      html.append("<h2>Test accuracy per round</h2>\n<table><tr><th>round</th>");
      for (String name : names.values()) {
        html.append("<th>labelled</th><th>").append(escape(name)).append("</th>");
      }
      html.append("</tr>\n");
      int rounds = names.keySet().stream().mapToInt(id -> rounds(id).size()).max().orElse(0);
      for (int r = 0; r < rounds; r++) {
        html.append("<tr><td>").append(r).append("</td>");
        for (String id : names.keySet()) {
          List<JsonNode> rs = rounds(id);
          JsonNode round = r < rs.size() ? rs.get(r) : null;
          html.append("<td>").append(round == null ? "" : labelled(round)).append("</td><td>");
          html.append(
                  round == null || !round.hasNonNull("testAccuracy")
                      ? "–"
                      : CampaignWatcher.percent(round.path("testAccuracy").asDouble()))
              .append("</td>");
        }
        html.append("</tr>\n");
      }
      html.append("</table>\n<h2>Campaigns</h2>\n");
      for (Map.Entry<String, String> c : names.entrySet()) {
        JsonNode v = views.get(c.getKey());
        JsonNode spec = v.path("spec");
        html.append("<p><b>")
            .append(escape(c.getValue()))
            .append("</b>: campaign <code>")
            .append(escape(c.getKey()))
            .append("</code>, ")
            .append(escape(v.path("state").asText()))
            .append("; initial ")
            .append(escape(spec.path("initialStrategy").asText()))
            .append(" (")
            .append(spec.path("resolvedInitialSize").asInt())
            .append("), then ")
            .append(escape(spec.path("strategy").asText()))
            .append(" × ")
            .append(spec.path("resolvedBudgetPerRound").asInt())
            .append(" per round; encoder ")
            .append(
                spec.path("baseModelId").asText().isEmpty()
                    ? "from scratch"
                    : "pre-trained (" + escape(spec.path("baseModelId").asText()) + ")")
            .append("</p>\n");
      }
      html.append("</body></html>\n");
      Path page = directory.resolve(PAGE);
      Files.writeString(page, html, StandardCharsets.UTF_8);
      return page;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<JsonNode> rounds(String campaignId) {
    List<JsonNode> out = new ArrayList<>();
    views.get(campaignId).path("rounds").forEach(out::add);
    return out;
  }

  private static int labelled(JsonNode round) {
    return round.hasNonNull("labelledTotal")
        ? round.path("labelledTotal").asInt()
        : round.path("labelled").asInt();
  }

  private static int width(String name) {
    return Math.max(8, name.length());
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
