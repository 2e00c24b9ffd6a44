package io.alfer.select.metrics;

import io.alfer.proto.v1.CampaignState;
import io.alfer.select.campaign.Campaign;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prometheus meters of the select service: {@code alfer_select_campaigns{state}} (gauge), {@code
 * alfer_select_rounds_completed_total}, {@code alfer_select_selection_seconds{strategy}}, {@code
 * alfer_select_labels_total}, {@code alfer_select_dead_letters_total{topic,reason}}, {@code
 * alfer_select_campaign_last_progress_seconds{campaign,phase}}. The counters count what this
 * process applied since it started, the start-up replay included, so after a restart they match the
 * topics again.
 */
@ApplicationScoped
public class SelectMetrics {
  private final MeterRegistry registry;
  private final Map<CampaignState, AtomicInteger> byState = new ConcurrentHashMap<>();
  private final MultiGauge lastProgress;

  /** The last-progress series by campaign id; also the lock of their replacement. */
  private final Map<String, Progress> progressRows = new java.util.TreeMap<>();

  public SelectMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (CampaignState s : CampaignState.values()) {
      if (s == CampaignState.CAMPAIGN_STATE_UNSPECIFIED || s == CampaignState.UNRECOGNIZED) {
        continue;
      }
      AtomicInteger n = new AtomicInteger();
      byState.put(s, n);
      Gauge.builder("alfer.select.campaigns", n, AtomicInteger::get)
          .description("Campaigns by state")
          .tag("state", stateName(s))
          .register(registry);
    }
    registry.counter("alfer.select.rounds.completed");
    registry.counter("alfer.select.labels");
    lastProgress =
        MultiGauge.builder("alfer.select.campaign.last.progress")
            .description(
                "When each running campaign last moved (its last event: a round selected,"
                    + " labelled, trained, evaluated, or the campaign resumed), in seconds since"
                    + " the epoch, with the phase it waits in")
            .baseUnit("seconds")
            .register(registry);
  }

  /**
   * Sets the last-progress time of every running campaign (one series per campaign and its phase);
   * campaigns that are not running have none, so an alert on the age of the series only sees
   * campaigns that should be moving. Reads each campaign while holding no other lock: call it where
   * no campaign is locked (the replay's end), never from inside a campaign's step.
   */
  public void progress(Collection<Campaign> campaigns) {
    Map<String, Progress> now = new HashMap<>();
    for (Campaign c : campaigns) {
      Progress.of(c).ifPresent(p -> now.put(c.id(), p));
    }
    synchronized (progressRows) {
      progressRows.clear();
      progressRows.putAll(now);
      lastProgress.register(rows(), true);
    }
  }

  /**
   * Updates one campaign's last-progress series (or drops it when the campaign no longer runs).
   * Reads only that campaign, so it may be called from inside its step, where the campaign is
   * locked; the rows are replaced under a lock of their own, which is never held while a campaign
   * is read (a campaign step holding its campaign and waiting for the rows, while another held the
   * rows and waited for that campaign, stopped select in the end-to-end test).
   */
  public void progress(Campaign c) {
    java.util.Optional<Progress> p = Progress.of(c);
    synchronized (progressRows) {
      if (p.isPresent()) {
        progressRows.put(c.id(), p.get());
      } else {
        progressRows.remove(c.id());
      }
      lastProgress.register(rows(), true);
    }
  }

  private List<MultiGauge.Row<?>> rows() {
    return progressRows.entrySet().stream()
        .<MultiGauge.Row<?>>map(
            e ->
                MultiGauge.Row.of(
                    Tags.of("campaign", e.getKey(), "phase", e.getValue().phase()),
                    e.getValue().seconds()))
        .toList();
  }

  /** A running campaign's phase and the time of its last event, in seconds since the epoch. */
  private record Progress(String phase, double seconds) {
    static java.util.Optional<Progress> of(Campaign c) {
      if (!c.running()) {
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(
          new Progress(c.phase().apiName(), c.updatedAt().toEpochMilli() / 1000.0));
    }
  }

  /** The API name of a state: running, paused, cancelled, completed, failed. */
  public static String stateName(CampaignState s) {
    return s.name().substring("CAMPAIGN_STATE_".length()).toLowerCase(Locale.ROOT);
  }

  /** Sets the campaign counts (recomputed from the state after every change). */
  public void campaigns(Map<CampaignState, Integer> counts) {
    byState.forEach((s, n) -> n.set(counts.getOrDefault(s, 0)));
  }

  /** A round's classifier was evaluated. */
  public void roundCompleted() {
    registry.counter("alfer.select.rounds.completed").increment();
  }

  /** A label (of any campaign's image) was read for the first time. */
  public void labelled() {
    registry.counter("alfer.select.labels").increment();
  }

  /** A strategy ran. */
  public void selection(String strategy, Duration elapsed) {
    Timer.builder("alfer.select.selection")
        .description("Time a strategy took to select a batch")
        .tag("strategy", strategy)
        .register(registry)
        .record(elapsed);
  }

  /** A record was dead-lettered. */
  public void deadLetter(String topic, String reason) {
    registry.counter("alfer.select.dead.letters", "topic", topic, "reason", reason).increment();
  }
}
