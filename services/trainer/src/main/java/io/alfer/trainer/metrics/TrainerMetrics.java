package io.alfer.trainer.metrics;

import io.alfer.proto.v1.JobState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Prometheus metrics of the trainer ({@code /q/metrics}). */
@ApplicationScoped
public class TrainerMetrics {
  private final MeterRegistry registry;
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicLong imagesPerSecond = new AtomicLong(Double.doubleToLongBits(0));
  private final AtomicLong loss = new AtomicLong(Double.doubleToLongBits(Double.NaN));
  private final AtomicLong deepFoolImagesPerSecond = new AtomicLong(Double.doubleToLongBits(0));
  private final AtomicLong knnAccuracy = new AtomicLong(Double.doubleToLongBits(Double.NaN));
  private final AtomicLong linearProbeAccuracy =
      new AtomicLong(Double.doubleToLongBits(Double.NaN));

  public TrainerMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("alfer.trainer.jobs.queued", queued, AtomicInteger::get)
        .description("Jobs waiting for the device")
        .register(registry);
    Gauge.builder("alfer.trainer.jobs.running", running, AtomicInteger::get)
        .description("Jobs on the device (0 or 1)")
        .register(registry);
    Gauge.builder("alfer.trainer.images.per.second", imagesPerSecond, TrainerMetrics::asDouble)
        .description("Training throughput of the running job")
        .register(registry);
    Gauge.builder("alfer.trainer.loss", loss, TrainerMetrics::asDouble)
        .description("Loss of the running job's last step")
        .register(registry);
    Gauge.builder(
            "alfer.trainer.deepfool.images.per.second",
            deepFoolImagesPerSecond,
            TrainerMetrics::asDouble)
        .description("DeepFool throughput of the running job (images finished per second)")
        .register(registry);
    Gauge.builder("alfer.trainer.knn.accuracy", knnAccuracy, TrainerMetrics::asDouble)
        .description(
            "k-NN accuracy (k = 20, leave-one-out) of the last pre-training epoch's embeddings on"
                + " the dataset's labelled test split")
        .register(registry);
    Gauge.builder(
            "alfer.trainer.linear.probe.accuracy", linearProbeAccuracy, TrainerMetrics::asDouble)
        .description(
            "Cross-validated linear-probe accuracy of the last pre-training epoch's embeddings on"
                + " the dataset's labelled test split")
        .register(registry);
  }

  /** The number of queued jobs changed. */
  public void queued(int count) {
    queued.set(count);
  }

  /** Whether a job runs now. */
  public void running(boolean active) {
    running.set(active ? 1 : 0);
    if (!active) {
      imagesPerSecond.set(Double.doubleToLongBits(0));
      deepFoolImagesPerSecond.set(Double.doubleToLongBits(0));
    }
  }

  /** A training step's throughput and loss. */
  public void step(double throughput, double stepLoss) {
    imagesPerSecond.set(Double.doubleToLongBits(throughput));
    loss.set(Double.doubleToLongBits(stepLoss));
  }

  /** A pre-training epoch's representation quality on the labelled test split. */
  public void quality(double knn, double linearProbe) {
    knnAccuracy.set(Double.doubleToLongBits(knn));
    linearProbeAccuracy.set(Double.doubleToLongBits(linearProbe));
  }

  /** The DeepFool phase's throughput. */
  public void deepFool(double throughput) {
    deepFoolImagesPerSecond.set(Double.doubleToLongBits(throughput));
  }

  /** A job ended (succeeded, failed or cancelled). */
  public void finished(JobState state) {
    Counter.builder("alfer.trainer.jobs.finished")
        .description("Jobs that ended, by final state")
        .tag("state", stateName(state))
        .register(registry)
        .increment();
    if (state == JobState.JOB_STATE_FAILED) {
      Counter.builder("alfer.trainer.jobs.failed")
          .description("Jobs that failed")
          .register(registry)
          .increment();
    }
  }

  /** A request was refused, by reason. */
  public void rejected(String reason) {
    Counter.builder("alfer.trainer.requests.rejected")
        .description("Training requests refused, by reason")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  /** The short lower-case name of a state, e.g. {@code succeeded}. */
  public static String stateName(JobState state) {
    return state.name().substring("JOB_STATE_".length()).toLowerCase(Locale.ROOT);
  }

  private static double asDouble(AtomicLong bits) {
    return Double.longBitsToDouble(bits.get());
  }
}
