package io.alfer.trainer.job;

import io.alfer.core.messaging.Origins;
import io.alfer.kit.error.ServiceException;
import io.alfer.proto.v1.JobState;
import io.alfer.proto.v1.TrainingProgress;
import io.alfer.proto.v1.TrainingRequest;
import io.alfer.trainer.config.TrainerConfig;
import io.alfer.trainer.dataset.DatasetFollower;
import io.alfer.trainer.metrics.TrainerMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The trainer's jobs, whoever asks (Kafka or REST): validates and normalises a request against the
 * catalog, refuses it with a reason (also on the progress topic) or hands it to the {@link
 * JobExecutor}, which this service starts with the application and stops with it.
 */
@ApplicationScoped
public class JobService {
  private static final Logger LOG = Logger.getLogger(JobService.class);
  private static final Duration CATALOG_SYNC = Duration.ofSeconds(30);

  /**
   * The longest one {@link #submit} can block before it answers (catalog brought up to date, then
   * the jobs recovered from object storage).
   */
  public static final Duration LONGEST_ATTEMPT = CATALOG_SYNC.plus(JobExecutor.READY_TIMEOUT);

  private final JobRequests requests;
  private final DatasetFollower follower;
  private final JobStore store;
  private final JobRunner runner;
  private final JobEvents events;
  private final TrainerMetrics metrics;
  private final TrainingDevice device;
  private final TrainerConfig config;
  private final JobExecutor executor;

  public JobService(
      JobRequests requests,
      DatasetFollower follower,
      JobStore store,
      JobRunner runner,
      JobEvents events,
      TrainerMetrics metrics,
      TrainingDevice device,
      TrainerConfig config) {
    this.requests = requests;
    this.follower = follower;
    this.store = store;
    this.runner = runner;
    this.events = events;
    this.metrics = metrics;
    this.device = device;
    this.config = config;
    this.executor = newExecutor(EpochObserver.NONE);
  }

  void onStart(@Observes StartupEvent event) {
    executor.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    executor.close();
  }

  /**
   * A further executor on the same store, device and topics (not started). The service has one; a
   * second one stands for a trainer process started after a crash (the crash-resume test).
   */
  public JobExecutor newExecutor(EpochObserver observer) {
    return new JobExecutor(
        store,
        runner,
        events,
        metrics,
        device,
        config.progressInterval(),
        config.storagePatience(),
        observer,
        config.instance());
  }

  /**
   * Validates, normalises and submits a request.
   *
   * @throws ServiceException when it is refused (also reported as REJECTED on the progress topic)
   */
  public JobExecutor.Submission submit(TrainingRequest request) {
    try {
      syncCatalog();
      return executor.submit(requests.normalise(request));
    } catch (ServiceException e) {
      if (e.status() == 400 || e.status() == 409) {
        reject(request.getJobId(), e);
      }
      throw e;
    }
  }

  /**
   * Reports a request refused before it could be submitted (its claim-checked labelled set cannot
   * be read: {@code reason} says why) as REJECTED on the progress topic, so that whoever waits for
   * the job learns why; nothing when a job of that id exists already.
   */
  public void refusedBeforeSubmission(String jobId, String reason, String message) {
    if (executor.find(jobId).isEmpty()) {
      reject(jobId, new ServiceException(400, reason, message));
    }
  }

  /** A job's view. */
  public Optional<JobView> find(String jobId) {
    return executor.find(jobId);
  }

  /** Every job, oldest first. */
  public List<JobView> list() {
    return executor.list();
  }

  /** Cancels a queued or running job. */
  public JobView cancel(String jobId) {
    return executor.cancel(jobId);
  }

  /** Whether jobs have been recovered from object storage (readiness). */
  public boolean recovered() {
    return executor.recovered();
  }

  private void syncCatalog() {
    try {
      if (!follower.sync(CATALOG_SYNC)) {
        throw new ServiceException(
            503, "catalog_unavailable", "the dataset catalog could not be brought up to date");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServiceException(503, "catalog_unavailable", "interrupted");
    }
  }

  private void reject(String jobId, ServiceException e) {
    metrics.rejected(e.reason());
    LOG.infof("request %s refused: %s: %s", jobId, e.reason(), e.getMessage());
    if (jobId.isBlank()) {
      return;
    }
    try {
      events.progress(
          TrainingProgress.newBuilder()
              .setJobId(jobId)
              .setState(JobState.JOB_STATE_REJECTED)
              .setMessage(e.reason() + ": " + e.getMessage())
              .setOrigin(Origins.now("trainer", config.instance()))
              .build(),
          true);
    } catch (RuntimeException failure) {
      LOG.warnf("rejection of %s not reported: %s", jobId, failure.getMessage());
    }
  }
}
