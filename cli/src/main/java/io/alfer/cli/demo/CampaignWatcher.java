package io.alfer.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.alfer.cli.service.SelectClient;
import io.alfer.cli.stack.Polling;
import io.alfer.cli.stack.StackException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Follows campaigns side by side until all have ended, printing a line whenever one of them moves
 * (round, phase, labels in, accuracy).
 */
public final class CampaignWatcher {
  /** States a campaign never leaves. */
  public static final Set<String> ENDED = Set.of("completed", "failed", "cancelled");

  private CampaignWatcher() {}

  /**
   * Polls until every campaign has ended or the timeout passed.
   *
   * @param names display name per campaign id
   * @return the final view per campaign id
   * @throws StackException on the timeout
   */
  public static Map<String, JsonNode> follow(
      SelectClient select, Map<String, String> names, Duration timeout, PrintWriter out) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, String> last = new HashMap<>();
    Map<String, JsonNode> views = new LinkedHashMap<>();
    int width = names.values().stream().mapToInt(String::length).max().orElse(8);
    long start = System.nanoTime();
    while (true) {
      boolean allEnded = true;
      for (Map.Entry<String, String> c : names.entrySet()) {
        JsonNode view = select.campaign(c.getKey());
        views.put(c.getKey(), view);
        String line = status(view);
        if (!line.equals(last.get(c.getKey()))) {
          out.printf(
              "  %5s  %-" + width + "s  %s%n",
              duration((System.nanoTime() - start) / 1e9),
              c.getValue(),
              line);
          out.flush();
          last.put(c.getKey(), line);
        }
        allEnded &= ENDED.contains(view.path("state").asText());
      }
      if (allEnded) {
        return views;
      }
      if (System.nanoTime() > deadline) {
        throw new StackException(
            "the campaigns did not end within " + timeout.toMinutes() + " minutes: " + last);
      }
      Polling.pause(Duration.ofMillis(500));
    }
  }

  /** One line on where a campaign stands. */
  static String status(JsonNode view) {
    JsonNode rounds = view.path("rounds");
    int total = view.path("spec").path("rounds").asInt();
    StringBuilder line = new StringBuilder();
    String state = view.path("state").asText();
    if (ENDED.contains(state)) {
      line.append(state);
    } else {
      int round = rounds.size() == 0 ? 0 : rounds.get(rounds.size() - 1).path("round").asInt();
      line.append("round ").append(round).append('/').append(total).append("  ");
      line.append(view.path("phase").asText());
      if (!"running".equals(state)) {
        line.append(" (").append(state).append(')');
      }
    }
    line.append("  labelled ").append(view.path("labelledTotal").asInt());
    List<String> accuracies = new java.util.ArrayList<>();
    for (JsonNode r : rounds) {
      if (r.hasNonNull("testAccuracy")) {
        accuracies.add(percent(r.path("testAccuracy").asDouble()));
      }
    }
    if (!accuracies.isEmpty()) {
      line.append("  accuracy ").append(String.join(" → ", accuracies));
    }
    String message = view.path("message").asText();
    if ("failed".equals(state) && !message.isEmpty()) {
      line.append("  ").append(message);
    }
    return line.toString();
  }

  /** An accuracy as a percentage with one decimal, e.g. {@code 63.5%}. */
  public static String percent(double accuracy) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * accuracy);
  }

  /** Seconds as {@code 42s} or {@code 3m07s}. */
  public static String duration(double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0) {
      return "?";
    }
    long s = Math.round(seconds);
    return s < 60 ? s + "s" : (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
  }
}
