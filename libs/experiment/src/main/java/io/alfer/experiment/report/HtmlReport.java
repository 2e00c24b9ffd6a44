package io.alfer.experiment.report;

import io.alfer.experiment.config.Mode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One self-contained HTML page: the protocol, Table I, the per-round tables and gains, the headline
 * checks and every plot (embedded as data URIs, so the file can be sent on its own).
 */
final class HtmlReport {
  private HtmlReport() {}

  static String render(Summary s, Tables.Context c, Map<String, byte[]> plots) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
        .append(esc(c.title()))
        .append("</title>\n<style>\n")
        .append(
            "body{font-family:sans-serif;margin:2em auto;max-width:1100px;color:#222}"
                + "table{border-collapse:collapse;margin:1em 0}"
                + "th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}"
                + "th:first-child,td:first-child{text-align:left}"
                + "th{background:#f3f3f3}.met{color:#1a7f37}.missed{color:#b42318}"
                + "img{max-width:100%;border:1px solid #ddd;margin:0.5em 0}\n")
        .append("</style></head><body>\n<h1>")
        .append(esc(c.title()))
        .append("</h1>\n<ul>\n");
    for (String line : c.details()) {
      h.append("<li>").append(esc(line)).append("</li>\n");
    }
    h.append("</ul>\n");
    if (s.lastRound() < 0) {
      return h.append("<p>No results yet.</p></body></html>\n").toString();
    }
    h.append("<p>Test accuracy in %, mean ± standard deviation over seeds.</p>\n");
    int last = s.lastRound();
    h.append("<h2>Table I: accuracy at the last round (round ")
        .append(last)
        .append(", ")
        .append(esc(Tables.labelledText(s, last, c.poolSize())))
        .append(")</h2>\n<table><tr><th>strategy</th><th>from scratch</th><th>pre-trained</th>")
        .append("<th>gain of pre-training</th></tr>\n");
    for (String strategy : s.strategies()) {
      h.append("<tr><td>")
          .append(esc(strategy))
          .append("</td><td>")
          .append(esc(Tables.cell(s, strategy, Mode.SCRATCH, last)))
          .append("</td><td>")
          .append(esc(Tables.cell(s, strategy, Mode.PRETRAINED, last)))
          .append("</td><td>")
          .append(s.gain(strategy, last).map(Tables::signed).orElse("–"))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
    List<Tables.Check> checks = Tables.headline(s);
    if (!checks.isEmpty()) {
      h.append("<h2>The paper's headline on these data</h2>\n<table><tr><th>round</th>")
          .append("<th>claim</th><th>leader</th><th>compared with</th><th>margin</th>")
          .append("<th>goal</th><th>met</th></tr>\n");
      for (Tables.Check k : checks) {
        h.append("<tr><td>")
            .append(k.round())
            .append("</td><td>")
            .append(esc(k.claim()))
            .append("</td><td>")
            .append(esc(k.winner()))
            .append("</td><td>")
            .append(esc(k.against()))
            .append("</td><td>")
            .append(Tables.signed(k.margin()))
            .append("</td><td>")
            .append(
                Double.isNaN(k.goal()) ? "&gt; 0" : String.format(Locale.ROOT, "≥ %.1f", k.goal()))
            .append("</td><td class=\"")
            .append(k.met() ? "met\">yes" : "missed\">no")
            .append("</td></tr>\n");
      }
      h.append("</table>\n");
    }
    h.append("<h2>Plots</h2>\n");
    for (Map.Entry<String, byte[]> plot : plots.entrySet()) {
      h.append("<figure><img alt=\"")
          .append(esc(plot.getKey()))
          .append("\" src=\"")
          .append(ReportWriter.dataUri(plot.getValue()))
          .append("\"></figure>\n");
    }
    for (Mode mode : s.modes()) {
      h.append("<h2>Accuracy per round, ")
          .append(mode == Mode.SCRATCH ? "from scratch" : "pre-trained")
          .append("</h2>\n");
      h.append(roundTable(s, c, strategy -> round -> Tables.cell(s, strategy, mode, round)));
    }
    if (s.modes().size() == 2) {
      h.append("<h2>Gain of pre-training per round (points)</h2>\n");
      h.append(
          roundTable(
              s, c, strategy -> round -> s.gain(strategy, round).map(Tables::signed).orElse("–")));
    }
    return h.append("</body></html>\n").toString();
  }

  private interface CellText {
    java.util.function.IntFunction<String> of(String strategy);
  }

  private static String roundTable(Summary s, Tables.Context c, CellText text) {
    StringBuilder h = new StringBuilder("<table><tr><th>strategy</th>");
    for (int round : s.rounds()) {
      h.append(
          String.format(
              Locale.ROOT,
              "<th>r%d: %d (%.0f%%)</th>",
              round,
              s.labelled(round),
              100.0 * s.labelled(round) / c.poolSize()));
    }
    h.append("</tr>\n");
    for (String strategy : s.strategies()) {
      h.append("<tr><td>").append(esc(strategy)).append("</td>");
      for (int round : s.rounds()) {
        h.append("<td>").append(esc(text.of(strategy).apply(round))).append("</td>");
      }
      h.append("</tr>\n");
    }
    return h.append("</table>\n").toString();
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
