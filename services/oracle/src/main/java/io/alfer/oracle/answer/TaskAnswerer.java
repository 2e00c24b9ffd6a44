package io.alfer.oracle.answer;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.alfer.core.concurrent.DaemonThreads;
import io.alfer.core.messaging.Origins;
import io.alfer.kit.messaging.RefusedRecord;
import io.alfer.oracle.config.OracleConfig;
import io.alfer.oracle.truth.GroundTruth;
import io.alfer.proto.v1.LabelResult;
import io.alfer.proto.v1.LabelTask;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Answers the oracle's tasks from ground truth. Tasks of other vendors are skipped. A task that
 * cannot be answered is a {@link RefusedRecord}: the channel's dead-letter strategy puts it on the
 * vendor's alfer.vendor.<v>.tasks.dlq with the reason as {@code dead-letter-reason}. With a delay,
 * the task is acknowledged at once and answered later; answers pending when the oracle stops are
 * not sent, and the label service re-issues those tasks when they expire. Every answer is written
 * on its own and stamped with the moment it was given: an answer whose write waits for the broker
 * (down, or slow) holds up no other, so none is stamped later than it was given.
 */
@ApplicationScoped
public class TaskAnswerer {
  private static final Logger LOG = Logger.getLogger(TaskAnswerer.class);
  private static final JsonFormat.Parser JSON = JsonFormat.parser().ignoringUnknownFields();

  /** Longest wait for the broker to take an answer. */
  static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);

  private final GroundTruth truth;
  private final ResultSender sender;
  private final OracleConfig config;
  private final MeterRegistry metrics;
  private final ScheduledExecutorService later =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("oracle-delay"));

  public TaskAnswerer(
      GroundTruth truth, ResultSender sender, OracleConfig config, MeterRegistry metrics) {
    this.truth = truth;
    this.sender = sender;
    this.config = config;
    this.metrics = metrics;
  }

  /** Handles one record of the vendor's task topic. */
  @Incoming("tasks-in")
  @Blocking
  public CompletionStage<Void> onTask(Message<byte[]> message) {
    return RefusedRecord.settle(message, m -> answer(m.getPayload()));
  }

  /** Answers one task record's value (package-private for tests). */
  void answer(byte[] value) {
    LabelTask task = parse(value);
    if (!task.getVendor().equals(config.vendor())) {
      return;
    }
    awaitGroundTruth();
    OptionalInt label = truth.label(task.getDataset(), task.getImageId());
    int classes = task.getTaxonomy().getClassesCount();
    if (label.isEmpty() || label.getAsInt() >= classes) {
      refuse("no_ground_truth");
      throw new RefusedRecord(
          "no_ground_truth",
          "image " + task.getDataset() + "/" + task.getImageId() + " has no label");
    }
    int answer =
        Noise.answer(
            label.getAsInt(), classes, config.errorRate(), config.seed(), task.getTaskId());
    LabelResult result =
        LabelResult.newBuilder()
            .setTaskId(task.getTaskId())
            .setVendor(config.vendor())
            .setAnnotator("oracle-" + (task.getSlot() % Math.max(1, config.annotators())))
            .setLabel(task.getTaxonomy().getClasses(answer))
            .setConfidence(1.0f)
            .build();
    boolean flipped = answer != label.getAsInt();
    if (config.delay().isZero()) {
      send(result, flipped).await().indefinitely(); // acknowledged after the answer is written
    } else {
      later.schedule(
          () -> send(result, flipped).subscribe().with(done -> {}),
          config.delay().toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  private void awaitGroundTruth() {
    try {
      while (!truth.awaitReady(Duration.ofSeconds(10))) {
        LOG.info("waiting for the ground truth (alfer.images) before answering");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("stopped while waiting for the ground truth", e);
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    later.shutdownNow();
  }

  /**
   * Writes an answer stamped now; completes when the broker has it, or when the write failed or
   * took longer than {@link #SEND_TIMEOUT} (logged: the task expires and is re-issued).
   */
  private Uni<Void> send(LabelResult result, boolean flipped) {
    Instant now = Instant.now();
    LabelResult stamped = result.toBuilder().setAnsweredAt(Origins.timestamp(now)).build();
    return sender
        .send(stamped, now)
        .ifNoItem()
        .after(SEND_TIMEOUT)
        .fail()
        .onItem()
        .invoke(
            () ->
                metrics
                    .counter("alfer_oracle_answers_total", "flipped", Boolean.toString(flipped))
                    .increment())
        .onFailure()
        .recoverWithItem(
            e -> {
              LOG.warnf(
                  e,
                  "answering task %s failed; it will expire and be re-issued",
                  result.getTaskId());
              return null;
            });
  }

  private LabelTask parse(byte[] value) {
    LabelTask.Builder b = LabelTask.newBuilder();
    try {
      JSON.merge(new String(value == null ? new byte[0] : value, StandardCharsets.UTF_8), b);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      refuse("malformed");
      throw new RefusedRecord("malformed", "not a LabelTask in JSON form (" + e.getMessage() + ")");
    }
    return b.build();
  }

  private void refuse(String reason) {
    metrics.counter("alfer_oracle_refused_total", "reason", reason).increment();
  }
}
