package io.alfer.select.metrics;

import io.alfer.proto.v1.CampaignState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prometheus meters of the select service: {@code alfer_select_campaigns{state}} (gauge), {@code
 * alfer_select_rounds_completed_total}, {@code alfer_select_selection_seconds{strategy}}, {@code
 * alfer_select_labels_total}, {@code alfer_select_dead_letters_total{topic,reason}}. The counters
 * count what this process applied since it started, the start-up replay included, so after a
 * restart they match the topics again.
 */
@ApplicationScoped
public class SelectMetrics {
  private final MeterRegistry registry;
  private final Map<CampaignState, AtomicInteger> byState = new ConcurrentHashMap<>();

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
