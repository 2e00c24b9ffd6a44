package io.alfer.ingest.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/** Prometheus metrics of the ingest path ({@code /q/metrics}). */
@ApplicationScoped
public class IngestMetrics {
  private final MeterRegistry registry;
  private final Counter ingested;
  private final Counter duplicates;
  private final Counter bytes;
  private final Timer latency;

  public IngestMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.ingested =
        Counter.builder("alfer.ingest.images")
            .description("Images stored and announced")
            .register(registry);
    this.duplicates =
        Counter.builder("alfer.ingest.duplicates")
            .description("Images already stored (no-op re-ingestion)")
            .register(registry);
    this.bytes =
        Counter.builder("alfer.ingest.bytes")
            .description("Bytes received in accepted images")
            .baseUnit("bytes")
            .register(registry);
    this.latency =
        Timer.builder("alfer.ingest.latency")
            .description("Time to normalise, store and announce one image")
            .publishPercentiles(0.5, 0.95, 0.99)
            .register(registry);
  }

  public void accepted(long sizeBytes, long nanos) {
    ingested.increment();
    bytes.increment(sizeBytes);
    latency.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void duplicate() {
    duplicates.increment();
  }

  /** Counts a refused image or request by reason. */
  public void refused(String reason) {
    Counter.builder("alfer.ingest.refused")
        .description("Images or requests refused, by reason")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }
}
