package io.alfer.embed.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Prometheus metrics of the embed work ({@code /q/metrics}): {@code alfer_embed_images_total} (its
 * rate is embeddings per second), {@code alfer_embed_batch_latency_seconds} (one ONNX Runtime
 * call), {@code alfer_embed_backlog} (images waiting in this replica's queue), {@code
 * alfer_embed_image_failures_total{reason}}, {@code alfer_embed_announcements_total{kind}}.
 */
@ApplicationScoped
public class EmbedMetrics {
  private final MeterRegistry registry;
  private final Counter images;
  private final Timer batchLatency;

  public EmbedMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.images =
        Counter.builder("alfer.embed.images")
            .description("Images run through a model (pool and test, REST excluded)")
            .register(registry);
    this.batchLatency =
        Timer.builder("alfer.embed.batch.latency")
            .description("Time of one ONNX Runtime call on a batch")
            .publishPercentiles(0.5, 0.95, 0.99)
            .register(registry);
  }

  public void batch(int count, long nanos) {
    images.increment(count);
    batchLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void backlog(Supplier<Number> backlog) {
    Gauge.builder("alfer.embed.backlog", backlog)
        .description("Images this replica still has to embed")
        .register(registry);
  }

  public void imageFailed(String reason) {
    Counter.builder("alfer.embed.image.failures")
        .description("Images left out because they could not be read or decoded, by reason")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  public void announced(boolean increment) {
    Counter.builder("alfer.embed.announcements")
        .description("EmbeddingsReady events sent, full passes and increments")
        .tag("kind", increment ? "increment" : "full")
        .register(registry)
        .increment();
  }

  /** Work items this replica planned (sent to alfer.embed.work). */
  public void itemsPlanned(int count) {
    Counter.builder("alfer.embed.work.items.planned")
        .description(
            "Work items planned by this replica for the partitions of alfer.images it owns")
        .register(registry)
        .increment(count);
  }

  /**
   * A work item taken from alfer.embed.work: {@code embedded}, {@code stored_already} (done by a
   * replica that died before committing it) or {@code model_not_live}.
   */
  public void itemDone(String outcome) {
    Counter.builder("alfer.embed.work.items")
        .description("Work items taken from alfer.embed.work, by outcome")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }
}
