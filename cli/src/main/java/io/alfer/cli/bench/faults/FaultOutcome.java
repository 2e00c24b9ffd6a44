package io.alfer.cli.bench.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.alfer.cli.service.HealthWatch;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What one fault did: how long its server was down, how long the services took to be ready again,
 * whether any stopped being live, how the campaign it struck ended and what {@code alfer.labels}
 * holds for that campaign; for a fault during a fine-tuning, how the job ended.
 *
 * @param title the fault, in words
 * @param key prefix of its figures on the final line
 * @param downSeconds from the server going down to it answering again
 * @param readySeconds from the server answering again to every service ready
 * @param notReady services that were not ready at some point between the fault and that moment
 * @param notLive looks at which a service was not live, from the fault to the campaign's end
 * @param campaign the campaign's final view
 * @param selected every image the campaign selected
 * @param labels what alfer.labels holds for the campaign
 * @param job the fine-tuning the fault struck, or null
 * @param lost objects that were in storage before the fault and are not after it, in words (empty:
 *     none)
 */
public record FaultOutcome(
    String title,
    String key,
    double downSeconds,
    double readySeconds,
    List<String> notReady,
    List<HealthWatch.Sample> notLive,
    JsonNode campaign,
    Set<String> selected,
    LabelLedger labels,
    Job job,
    String lost) {

  /**
   * How the struck fine-tuning ended.
   *
   * @param jobId its id
   * @param state succeeded, failed or cancelled
   * @param message its reason, when it did not succeed
   * @param attempts times the trainer ran it
   * @param endSeconds from the server answering again to the job's end
   * @param modelStored whether its checkpoint is in storage
   */
  public record Job(
      String jobId,
      String state,
      String message,
      int attempts,
      double endSeconds,
      boolean modelStored) {}

  /** The outcome of a fault on a campaign, its selected images read from the campaign's view. */
  public static FaultOutcome of(
      String title,
      String key,
      double downSeconds,
      double readySeconds,
      List<String> notReady,
      List<HealthWatch.Sample> notLive,
      JsonNode campaign,
      LabelLedger labels,
      Job job,
      String lost) {
    Set<String> selected = new LinkedHashSet<>();
    for (JsonNode round : campaign.path("rounds")) {
      for (JsonNode image : round.path("selected")) {
        selected.add(image.path("imageId").asText());
      }
    }
    return new FaultOutcome(
        title,
        key,
        downSeconds,
        readySeconds,
        List.copyOf(notReady),
        List.copyOf(notLive),
        campaign,
        Set.copyOf(selected),
        labels,
        job,
        lost);
  }

  /** The campaign's state: completed, failed or cancelled. */
  public String campaignState() {
    return campaign.path("state").asText();
  }

  /** Whether nothing was lost or doubled: every selected image announced once, no object gone. */
  public boolean nothingLost() {
    return labels.missing(selected).isEmpty()
        && labels.doubled().isEmpty()
        && labels.unexpected(selected).isEmpty()
        && lost.isEmpty()
        && (job == null || job.modelStored() || !job.state().equals("succeeded"));
  }

  /** What was lost, in words ({@code none} when nothing). */
  public String lossInWords() {
    List<String> parts = new ArrayList<>();
    int missing = labels.missing(selected).size();
    int doubled = labels.doubled().size();
    int unexpected = labels.unexpected(selected).size();
    if (missing > 0) {
      parts.add(missing + " selected images without a label");
    }
    if (doubled > 0) {
      parts.add(doubled + " images labelled more than once");
    }
    if (unexpected > 0) {
      parts.add(unexpected + " labels of images never selected");
    }
    if (job != null && job.state().equals("succeeded") && !job.modelStored()) {
      parts.add("the job's model is not in storage");
    }
    if (!lost.isEmpty()) {
      parts.add(lost);
    }
    return parts.isEmpty() ? "none" : String.join("; ", parts);
  }

  /** Prints the outcome as a block of lines. */
  public void print(PrintWriter out) {
    out.println();
    out.println(title);
    row(
        out,
        "down",
        String.format(Locale.ROOT, "%.1f s (went down → answering again)", downSeconds));
    row(
        out,
        "services ready",
        String.format(
            Locale.ROOT,
            "%.1f s after it answered again%s",
            readySeconds,
            notReady.isEmpty()
                ? "; none was ever not ready"
                : "; not ready meanwhile: " + String.join(", ", notReady)));
    row(
        out,
        "liveness",
        notLive.isEmpty()
            ? "every service live throughout"
            : notLive.size() + " failed looks, first " + notLive.get(0));
    if (job != null) {
      row(
          out,
          "fine-tuning",
          String.format(
              Locale.ROOT,
              "%s %s, %.1f s after it answered again, %d attempt%s%s",
              job.jobId(),
              job.state(),
              job.endSeconds(),
              job.attempts(),
              job.attempts() == 1 ? "" : "s",
              job.message().isEmpty() ? "" : " (" + job.message() + ")"));
    }
    row(out, "campaign", campaignInWords());
    row(
        out,
        "alfer.labels",
        String.format(
            Locale.ROOT,
            "%d records for %d selected images (%d unanswered)",
            labels.total(),
            selected.size(),
            labels.unanswered().size()));
    row(out, "data lost", lossInWords());
  }

  /** The campaign's end in words: state, rounds, labels, accuracy per round. */
  public String campaignInWords() {
    List<String> accuracies = new ArrayList<>();
    for (JsonNode r : campaign.path("rounds")) {
      if (r.hasNonNull("testAccuracy")) {
        accuracies.add(
            String.format(Locale.ROOT, "%.1f%%", 100 * r.path("testAccuracy").asDouble()));
      }
    }
    String words =
        String.format(
            Locale.ROOT,
            "%s: %d rounds, %d labelled, accuracy %s",
            campaignState(),
            campaign.path("rounds").size(),
            campaign.path("labelledTotal").asInt(),
            accuracies.isEmpty() ? "–" : String.join(" → ", accuracies));
    String message = campaign.path("message").asText();
    return campaignState().equals("completed") || message.isEmpty()
        ? words
        : words + " (" + message + ")";
  }

  /** The figures on the final line, each as {@code <key>_<name>=<value>}. */
  public List<String> keyValues() {
    List<String> kv = new ArrayList<>();
    kv.add(String.format(Locale.ROOT, "%s_down_s=%.1f", key, downSeconds));
    kv.add(String.format(Locale.ROOT, "%s_ready_s=%.1f", key, readySeconds));
    if (job != null) {
      kv.add(key + "_job=" + job.state());
      kv.add(String.format(Locale.ROOT, "%s_job_end_s=%.1f", key, job.endSeconds()));
      kv.add(key + "_job_attempts=" + job.attempts());
    }
    kv.add(key + "_campaign=" + campaignState());
    kv.add(key + "_labels=" + labels.total() + "/" + selected.size());
    kv.add(key + "_missing=" + labels.missing(selected).size());
    kv.add(key + "_doubled=" + labels.doubled().size());
    return kv;
  }

  private static void row(PrintWriter out, String name, String value) {
    out.printf("  %-15s %s%n", name, value);
  }
}
