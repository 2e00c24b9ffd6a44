package io.alfer.label.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Prometheus counters of the label service. They count what this process has processed since it
 * started, the start-up replay included, so after a restart they match the topics again.
 */
@ApplicationScoped
public class LabelMetrics {
  private final MeterRegistry registry;
  private final Counter unanswered;
  private final Counter dawidSkeneFits;

  public LabelMetrics(MeterRegistry registry) {
    this.registry = registry;
    unanswered = registry.counter("alfer_label_unanswered_total"); // shown from the start, at 0
    dawidSkeneFits = registry.counter("alfer_label_dawid_skene_fits_total");
  }

  /** A task was issued (or re-issued) to a vendor. */
  public void issued(String vendor) {
    registry.counter("alfer_label_tasks_issued_total", "vendor", vendor).increment();
  }

  /** A result was accepted. */
  public void accepted(String vendor) {
    registry.counter("alfer_label_results_accepted_total", "vendor", vendor).increment();
  }

  /** A result was refused; channel is kafka or http. */
  public void refused(String vendor, String reason, String channel) {
    registry
        .counter(
            "alfer_label_results_refused_total",
            "vendor",
            vendor.isEmpty() ? "(none)" : vendor,
            "reason",
            reason,
            "channel",
            channel)
        .increment();
  }

  /** A label was announced. */
  public void labelled(String method) {
    registry.counter("alfer_label_labels_total", "method", method).increment();
  }

  /** An image's outcome was announced as UNANSWERED: every slot given up. */
  public void unanswered() {
    unanswered.increment();
  }

  /** Dawid-Skene's annotator model of a campaign was fitted (again), on its whole history. */
  public void dawidSkeneFit() {
    dawidSkeneFits.increment();
  }

  /** A selection was refused. */
  public void selectionRefused(String reason) {
    registry.counter("alfer_label_selections_refused_total", "reason", reason).increment();
  }
}
