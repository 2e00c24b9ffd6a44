package io.alfer.trainer.job;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.google.protobuf.InvalidProtocolBufferException;
import io.alfer.proto.v1.JobState;
import io.alfer.proto.v1.ModelPublished;
import io.alfer.proto.v1.TrainingRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The durable state of one job, stored as {@code jobs/<id>/job.json}: the normalised request, its
 * lifecycle state, what a restarted trainer needs to resume it (the pool snapshot it trains on, the
 * epochs already checkpointed), the loss and representation quality of every completed epoch and,
 * once it succeeded, the model announcement (re-sent after a restart if the first send was not
 * acknowledged). Immutable: every transition returns a copy.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE)
public final class JobRecord {
  private String jobId;
  private String request;
  private JobState state;
  private String message = "";
  private String modelId = "";
  private int completedEpochs;
  private double lastEpochLoss = Double.NaN;
  private String poolSnapshot = "";
  private List<EpochPoint> history = List.of();
  private int attempts;
  private int resumedFromEpoch;
  private String published = "";
  private boolean announced;
  private Instant createdAt;
  private Instant startedAt;
  private Instant finishedAt;

  /** For JSON binding. */
  JobRecord() {}

  private JobRecord copy() {
    JobRecord r = new JobRecord();
    r.jobId = jobId;
    r.request = request;
    r.state = state;
    r.message = message;
    r.modelId = modelId;
    r.completedEpochs = completedEpochs;
    r.lastEpochLoss = lastEpochLoss;
    r.poolSnapshot = poolSnapshot;
    r.history = history;
    r.attempts = attempts;
    r.resumedFromEpoch = resumedFromEpoch;
    r.published = published;
    r.announced = announced;
    r.createdAt = createdAt;
    r.startedAt = startedAt;
    r.finishedAt = finishedAt;
    return r;
  }

  /** A new job waiting for the device. */
  public static JobRecord queued(TrainingRequest request, Instant now) {
    JobRecord r = new JobRecord();
    r.jobId = request.getJobId();
    r.request = Base64.getEncoder().encodeToString(request.toByteArray());
    r.state = JobState.JOB_STATE_QUEUED;
    r.createdAt = now;
    return r;
  }

  /** The job (re)started on the device; {@code resumedFrom} epochs were already done. */
  public JobRecord running(Instant now) {
    JobRecord r = copy();
    r.state = JobState.JOB_STATE_RUNNING;
    r.attempts = attempts + 1;
    r.resumedFromEpoch = completedEpochs;
    r.startedAt = now;
    r.message = "";
    return r;
  }

  /** The job trains on this pool snapshot (fixed at its first start, kept across restarts). */
  public JobRecord withPoolSnapshot(String snapshot) {
    JobRecord r = copy();
    r.poolSnapshot = snapshot;
    return r;
  }

  /** An epoch checkpoint was stored. */
  public JobRecord checkpointed(int epochs, double epochLoss) {
    JobRecord r = copy();
    r.completedEpochs = epochs;
    r.lastEpochLoss = epochLoss;
    return r;
  }

  /**
   * Epoch {@code point.epoch()} ended. Entries for that epoch and later ones (left by a run that
   * stopped before their checkpoint was stored, and so trained again) are replaced.
   */
  public JobRecord withEpoch(EpochPoint point) {
    JobRecord r = copy();
    List<EpochPoint> kept = new ArrayList<>();
    for (EpochPoint p : history()) {
      if (p.epoch() < point.epoch()) {
        kept.add(p);
      }
    }
    kept.add(point);
    r.history = List.copyOf(kept);
    return r;
  }

  /** The model is stored; its announcement is kept until acknowledged. */
  public JobRecord succeeded(ModelPublished model, Instant now) {
    JobRecord r = copy();
    r.state = JobState.JOB_STATE_SUCCEEDED;
    r.modelId = model.getModelId();
    r.published = Base64.getEncoder().encodeToString(model.toByteArray());
    r.finishedAt = now;
    return r;
  }

  /** The model announcement was acknowledged by the broker. */
  public JobRecord announcedModel() {
    JobRecord r = copy();
    r.announced = true;
    return r;
  }

  /** The job ended without a model (failed or cancelled), for the given reason. */
  public JobRecord ended(JobState terminal, String reason, Instant now) {
    JobRecord r = copy();
    r.state = terminal;
    r.message = reason == null ? "" : reason;
    r.finishedAt = now;
    return r;
  }

  /** Job id (also the id of the model it produces). */
  public String jobId() {
    return jobId;
  }

  /** The normalised request. */
  public TrainingRequest request() {
    try {
      return TrainingRequest.parseFrom(Base64.getDecoder().decode(request));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("job " + jobId + " has an unreadable request", e);
    }
  }

  /** Lifecycle state. */
  public JobState state() {
    return state;
  }

  /** Whether the job has reached a state it never leaves. */
  public boolean terminal() {
    return state == JobState.JOB_STATE_SUCCEEDED
        || state == JobState.JOB_STATE_FAILED
        || state == JobState.JOB_STATE_CANCELLED;
  }

  /** Failure or cancellation reason. */
  public String message() {
    return message;
  }

  /** Id of the model produced, once succeeded. */
  public String modelId() {
    return modelId;
  }

  /** Epochs covered by the stored epoch checkpoint. */
  public int completedEpochs() {
    return completedEpochs;
  }

  /** Mean loss of the last checkpointed epoch (NaN before the first). */
  public double lastEpochLoss() {
    return lastEpochLoss;
  }

  /** Every completed epoch, in order (empty for records written before histories were kept). */
  public List<EpochPoint> history() {
    return history == null ? List.of() : history;
  }

  /** The pool snapshot (shard set) the job trains on, empty before its first start. */
  public String poolSnapshot() {
    return poolSnapshot;
  }

  /** How many times the job was started (more than one after a restart). */
  public int attempts() {
    return attempts;
  }

  /** Epochs already done when the job was last started (0 unless resumed). */
  public int resumedFromEpoch() {
    return resumedFromEpoch;
  }

  /** The model announcement of a succeeded job. */
  public Optional<ModelPublished> published() {
    if (published.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(ModelPublished.parseFrom(Base64.getDecoder().decode(published)));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("job " + jobId + " has an unreadable announcement", e);
    }
  }

  /** Whether the model announcement was acknowledged. */
  public boolean announced() {
    return announced;
  }

  /** When the job was accepted. */
  public Instant createdAt() {
    return createdAt;
  }

  /** When the job last started, or null. */
  public Instant startedAt() {
    return startedAt;
  }

  /** When the job ended, or null. */
  public Instant finishedAt() {
    return finishedAt;
  }
}
