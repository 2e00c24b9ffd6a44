package io.alfer.trainer.messaging;

import io.alfer.proto.v1.ModelPublished;
import io.alfer.proto.v1.TrainingProgress;
import io.alfer.trainer.job.JobEvents;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes job progress on {@code alfer.training.progress} (key = job id) and finished models on
 * {@code alfer.models} (key = model id). Step-level progress is not awaited; should the broker fall
 * more than a buffer behind, step events are skipped (state changes are always awaited).
 */
@ApplicationScoped
public class TrainingEvents implements JobEvents {
  private static final Logger LOG = Logger.getLogger(TrainingEvents.class);
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  private final MutinyEmitter<Record<String, TrainingProgress>> progress;
  private final MutinyEmitter<Record<String, ModelPublished>> models;

  public TrainingEvents(
      @Channel("progress-out") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
          MutinyEmitter<Record<String, TrainingProgress>> progress,
      @Channel("models-out") MutinyEmitter<Record<String, ModelPublished>> models) {
    this.progress = progress;
    this.models = models;
  }

  @Override
  public void progress(TrainingProgress event, boolean acknowledged) {
    if (acknowledged) {
      progress.send(Record.of(event.getJobId(), event)).await().atMost(ACK_TIMEOUT);
    } else {
      progress
          .send(Record.of(event.getJobId(), event))
          .subscribe()
          .with(
              done -> {},
              failure ->
                  LOG.debugf(
                      "progress of %s not sent: %s", event.getJobId(), failure.getMessage()));
    }
  }

  @Override
  public void model(ModelPublished model) {
    models.send(Record.of(model.getModelId(), model)).await().atMost(ACK_TIMEOUT);
  }
}
