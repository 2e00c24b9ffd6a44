package io.alfer.trainer.job;

import io.alfer.core.messaging.Origins;
import io.alfer.core.storage.StorageException;
import io.alfer.kit.error.ServiceException;
import io.alfer.ml.deepfool.DeepFoolHooks;
import io.alfer.ml.deepfool.DeepFoolProgress;
import io.alfer.ml.eval.RepresentationQuality;
import io.alfer.ml.train.EpochSummary;
import io.alfer.ml.train.TrainingCancelledException;
import io.alfer.ml.train.TrainingHooks;
import io.alfer.ml.train.TrainingProgress;
import io.alfer.proto.v1.JobState;
import io.alfer.proto.v1.ModelPublished;
import io.alfer.proto.v1.TrainingRequest;
import io.alfer.trainer.job.JobView.DeepFoolPhase;
import io.alfer.trainer.metrics.TrainerMetrics;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The queue and the worker of one trainer: jobs wait in arrival order and run one at a time on the
 * {@link TrainingDevice}. Every transition is written to the {@link JobStore} before it is
 * reported, and each pre-training epoch leaves a resume state there. At start the worker first
 * recovers from the store: finished jobs are remembered (a job id runs at most once), a model
 * announcement that was never acknowledged is sent again, and queued or interrupted jobs are queued
 * again — an interrupted pre-training resumes from its last epoch checkpoint.
 *
 * <p>An object-storage outage does not end a job: a run that meets one (a read or write that got no
 * answer) waits for storage to answer again and runs again — a fine-tuning from its start, a
 * pre-training from its last epoch checkpoint — and a transition that cannot be recorded waits
 * likewise. Only after {@code storagePatience} without storage does the job fail, with the reason
 * {@code storage_unavailable}; that failure is reported at once and recorded once storage is back.
 *
 * <p>{@link #close()} stops the worker as a crash would, as far as job state goes: the running job
 * keeps its RUNNING record and is resumed by the next executor.
 */
public final class JobExecutor implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(JobExecutor.class);
  private static final Duration RECOVERY_RETRY = Duration.ofSeconds(2);
  private static final Duration STORAGE_RETRY = Duration.ofSeconds(2);

  /** The most times one job runs again after storage outages, however short each was. */
  static final int MAX_STORAGE_RERUNS = 5;

  static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private final JobStore store;
  private final JobRunner runner;
  private final JobEvents events;
  private final TrainerMetrics metrics;
  private final TrainingDevice device;
  private final Duration progressInterval;
  private final Duration storagePatience;
  private final EpochObserver observer;
  private final String instance;
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private final BlockingDeque<String> queue = new LinkedBlockingDeque<>();
  private final CountDownLatch recovered = new CountDownLatch(1);

  /** Jobs whose latest state could not be written (storage down): written when it answers. */
  private final Set<Job> unrecorded = ConcurrentHashMap.newKeySet();

  private long nextFlush;
  private final Thread worker;
  private volatile boolean halted;

  /**
   * An executor; nothing happens before {@link #start()}.
   *
   * @param storagePatience how long a job waits for object storage to answer again (see above)
   * @param instance name of this trainer instance, in every event's origin
   */
  public JobExecutor(
      JobStore store,
      JobRunner runner,
      JobEvents events,
      TrainerMetrics metrics,
      TrainingDevice device,
      Duration progressInterval,
      Duration storagePatience,
      EpochObserver observer,
      String instance) {
    this.store = store;
    this.runner = runner;
    this.events = events;
    this.metrics = metrics;
    this.device = device;
    this.progressInterval = progressInterval;
    this.storagePatience = storagePatience;
    this.observer = observer;
    this.instance = instance;
    this.worker = new Thread(this::work, "trainer-worker");
    this.worker.setDaemon(true);
  }

  /** Starts the worker: recovery from the store, then the queue. */
  public void start() {
    worker.start();
  }

  /** Whether recovery from the store has finished (readiness). */
  public boolean recovered() {
    return recovered.getCount() == 0;
  }

  /** Marks the executor stopped without waiting: the running job stops at its next step. */
  public void halt() {
    halted = true;
  }

  /** Stops the worker; a running job stops at its next step and stays RUNNING in the store. */
  @Override
  public void close() {
    halt();
    try {
      worker.join(Duration.ofMinutes(1).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether the worker thread has ended (after {@link #close()}). */
  public boolean stopped() {
    return !worker.isAlive();
  }

  /**
   * Accepts a normalised request: a new job is recorded durably, then queued. The same job id with
   * the same request answers the existing job; with another request it is a conflict.
   *
   * @return the job and whether it was created by this call
   */
  public Submission submit(TrainingRequest request) {
    awaitRecovered();
    Job job;
    JobView accepted;
    synchronized (this) {
      Job existing = known(request.getJobId());
      if (existing != null) {
        if (!existing.record.request().equals(request)) {
          throw ServiceException.conflict(
              "job_id_reused", "job " + request.getJobId() + " exists with a different request");
        }
        return new Submission(view(existing), false);
      }
      job = new Job(JobRecord.queued(request, Instant.now()));
      store.save(job.record);
      jobs.put(job.record.jobId(), job);
      accepted = view(job);
      // reported before the worker can see it, so that QUEUED precedes RUNNING on the topic
      report(job, JobState.JOB_STATE_QUEUED, "", true);
      queue.add(job.record.jobId());
      metrics.queued(queue.size());
    }
    return new Submission(accepted, true);
  }

  /** Cancels a queued or running job; a finished one is a conflict. */
  public JobView cancel(String jobId) {
    awaitRecovered();
    Job job = known(jobId);
    if (job == null) {
      throw ServiceException.notFound("unknown_job", "no job " + jobId);
    }
    synchronized (this) {
      if (job.record.terminal()) {
        throw ServiceException.conflict(
            "job_finished",
            "job " + jobId + " has already ended: " + TrainerMetrics.stateName(job.record.state()));
      }
      if (queue.remove(jobId)) {
        metrics.queued(queue.size());
        end(job, JobState.JOB_STATE_CANCELLED, "cancelled before it started");
      } else {
        job.cancelRequested = true;
      }
    }
    return view(job);
  }

  /** A job's view, if known. */
  public Optional<JobView> find(String jobId) {
    return Optional.ofNullable(known(jobId)).map(this::view);
  }

  /** Every known job, oldest first. */
  public List<JobView> list() {
    List<Job> all = new ArrayList<>(jobs.values());
    all.sort(Comparator.comparing((Job j) -> j.record.createdAt()));
    return all.stream().map(this::view).toList();
  }

  private Job known(String jobId) {
    Job job = jobs.get(jobId);
    if (job == null && JobRequests.JOB_ID.matcher(jobId).matches()) {
      // accepted by another trainer instance (or before a restart this instance has not seen)
      Optional<JobRecord> stored = store.find(jobId);
      if (stored.isPresent()) {
        job = jobs.computeIfAbsent(jobId, id -> new Job(stored.get()));
      }
    }
    return job;
  }

  private void awaitRecovered() {
    try {
      if (!recovered.await(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new ServiceException(
            503, "not_ready", "the trainer is still recovering its jobs from object storage");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServiceException(503, "not_ready", "interrupted");
    }
  }

  private void work() {
    while (!halted && !recover()) {
      pause(RECOVERY_RETRY);
    }
    recovered.countDown();
    while (!halted) {
      flushUnrecorded();
      String jobId;
      try {
        jobId = queue.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (jobId == null) {
        continue;
      }
      metrics.queued(queue.size());
      Job job = jobs.get(jobId);
      try {
        device.acquire();
      } catch (InterruptedException e) {
        return;
      }
      try {
        run(job);
      } catch (RuntimeException e) {
        // the job's state could not be recorded (object storage down): it stays as last stored
        // and is taken up again at the next start; the worker goes on
        LOG.errorf(e, "job %s: state not recorded", jobId);
      } finally {
        device.release();
      }
    }
  }

  private boolean recover() {
    try {
      for (JobRecord record : store.loadAll()) {
        Job job = new Job(record);
        jobs.put(record.jobId(), job);
        if (record.state() == JobState.JOB_STATE_SUCCEEDED && !record.announced()) {
          announce(job);
        } else if (!record.terminal()) {
          queue.add(record.jobId());
          LOG.infof(
              "job %s recovered (%s, %d epochs checkpointed)",
              record.jobId(), TrainerMetrics.stateName(record.state()), record.completedEpochs());
        }
      }
      metrics.queued(queue.size());
      return true;
    } catch (RuntimeException e) {
      LOG.warnf("cannot recover jobs from object storage yet: %s", e.getMessage());
      return false;
    }
  }

  private void run(Job job) {
    synchronized (this) {
      if (job.record.terminal()) {
        return; // cancelled while it was being taken from the queue
      }
      job.record = job.record.running(Instant.now());
    }
    if (!record(job, storagePatience)) {
      end(job, JobState.JOB_STATE_FAILED, unavailable("its start could not be recorded"));
      return;
    }
    metrics.running(true);
    report(job, JobState.JOB_STATE_RUNNING, "", true);
    try {
      ModelPublished model = runThroughOutages(job);
      job.record = job.record.succeeded(model, Instant.now());
      record(job, storagePatience);
      announce(job);
      deleteResumeState(job);
      report(job, JobState.JOB_STATE_SUCCEEDED, "", true);
      metrics.finished(JobState.JOB_STATE_SUCCEEDED);
    } catch (TrainingCancelledException e) {
      if (job.cancelRequested) {
        end(job, JobState.JOB_STATE_CANCELLED, "cancelled while running");
      } else {
        LOG.infof(
            "job %s stopped with the trainer after %d epochs; it resumes at the next start",
            job.record.jobId(), job.record.completedEpochs());
      }
    } catch (StorageUnavailable e) {
      LOG.errorf("job %s failed: %s", job.record.jobId(), e.getMessage());
      end(job, JobState.JOB_STATE_FAILED, e.getMessage());
    } catch (RuntimeException | Error e) {
      if (storageCause(e) != null) {
        // refused or missing in object storage: one line with what failed, no stack trace
        LOG.errorf("job %s failed: %s", job.record.jobId(), describe(storageCause(e)));
      } else {
        LOG.errorf(e, "job %s failed", job.record.jobId());
      }
      end(job, JobState.JOB_STATE_FAILED, describe(e));
    } finally {
      metrics.running(false);
    }
  }

  /**
   * Runs the job; when a run meets a storage outage, waits for storage and runs it again (a
   * pre-training resumes from its last epoch checkpoint).
   *
   * @throws StorageUnavailable when storage did not answer again within the patience
   */
  private ModelPublished runThroughOutages(Job job) {
    for (int reruns = 0; ; reruns++) {
      try {
        return runner.run(new Run(job));
      } catch (TrainingCancelledException e) {
        throw e;
      } catch (RuntimeException e) {
        if (reruns >= MAX_STORAGE_RERUNS || !storageOutage(e)) {
          throw e;
        }
        String why = describe(storageCause(e));
        LOG.warnf("job %s: object storage does not answer (%s); waiting for it", jobId(job), why);
        awaitStorage(job, why);
        LOG.infof("job %s: object storage answers again; the job runs again", jobId(job));
        job.record = job.record.running(Instant.now());
        record(job, storagePatience);
        job.live = Live.NONE;
        report(job, JobState.JOB_STATE_RUNNING, "object storage answers again", false);
      }
    }
  }

  /**
   * Whether a run's failure is an outage of object storage rather than the job's fault: a storage
   * operation that got no answer (a connection or I/O failure underneath), or any storage failure
   * while the store does not answer. A refused or missing object while storage answers is not.
   */
  private boolean storageOutage(RuntimeException e) {
    StorageException storage = storageCause(e);
    if (storage == null) {
      return false;
    }
    for (Throwable t = storage; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return !store.reachable();
  }

  private static StorageException storageCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StorageException s) {
        return s;
      }
    }
    return null;
  }

  /**
   * Waits until object storage answers, saying so in the job's view and on the progress topic.
   *
   * @throws StorageUnavailable when it does not within the patience
   * @throws TrainingCancelledException when the job is cancelled or the trainer stops meanwhile
   */
  private void awaitStorage(Job job, String why) {
    Live last = job.live;
    job.live =
        new Live(
            Live.WAITING_FOR_STORAGE,
            last.epoch,
            last.epochs,
            last.step,
            last.steps,
            last.loss,
            0,
            0,
            last.deepfool);
    report(job, JobState.JOB_STATE_RUNNING, "waiting for object storage: " + why, false);
    long deadline = System.nanoTime() + storagePatience.toNanos();
    while (!store.reachable()) {
      if (halted || job.cancelRequested) {
        throw new TrainingCancelledException(job.record.completedEpochs());
      }
      if (System.nanoTime() > deadline) {
        throw new StorageUnavailable(unavailable(why));
      }
      pause(STORAGE_RETRY);
    }
  }

  private String unavailable(String why) {
    return "storage_unavailable: "
        + why
        + " (object storage did not answer for "
        + storagePatience
        + ")";
  }

  /**
   * Writes the job's current record, waiting up to {@code wait} for storage when it does not
   * answer. A record that cannot be written is kept and written by the worker once storage answers.
   *
   * @return whether it was written now
   */
  private boolean record(Job job, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      try {
        store.save(job.record);
        unrecorded.remove(job);
        return true;
      } catch (StorageException e) {
        if (System.nanoTime() > deadline || halted) {
          LOG.errorf(
              "job %s: state %s not recorded (%s); recorded when object storage answers",
              jobId(job), TrainerMetrics.stateName(job.record.state()), e.getMessage());
          unrecorded.add(job);
          return false;
        }
        pause(STORAGE_RETRY);
      }
    }
  }

  /** Writes, every few seconds while some wait, the records that could not be written. */
  private void flushUnrecorded() {
    long now = System.nanoTime();
    if (unrecorded.isEmpty() || now < nextFlush) {
      return;
    }
    nextFlush = now + STORAGE_RETRY.toNanos();
    for (Job job : List.copyOf(unrecorded)) {
      try {
        store.save(job.record);
        unrecorded.remove(job);
        LOG.infof(
            "job %s: state %s recorded now that object storage answers",
            jobId(job), TrainerMetrics.stateName(job.record.state()));
      } catch (StorageException e) {
        return; // still down: next time
      }
    }
  }

  private void deleteResumeState(Job job) {
    try {
      store.deleteResumeState(job.record.jobId());
    } catch (StorageException e) {
      // the model supersedes it; a leftover is only space
      LOG.warnf("job %s: resume state not deleted: %s", jobId(job), e.getMessage());
    }
  }

  private static String jobId(Job job) {
    return job.record.jobId();
  }

  private void announce(Job job) {
    ModelPublished model = job.record.published().orElseThrow();
    try {
      events.model(model.toBuilder().setOrigin(Origins.now("trainer", instance)).build());
      job.record = job.record.announcedModel();
      record(job, storagePatience);
    } catch (RuntimeException e) {
      LOG.errorf(
          "model %s of job %s stored but not announced (%s); announced at the next start",
          model.getModelId(), job.record.jobId(), e.getMessage());
    }
  }

  /**
   * Ends a job: records it (at once, or once storage answers again: whoever waits for the job
   * learns the end now) and reports it.
   */
  private void end(Job job, JobState state, String reason) {
    job.record = job.record.ended(state, reason, Instant.now());
    record(job, Duration.ZERO);
    report(job, state, reason, true);
    metrics.finished(state);
  }

  private void report(Job job, JobState state, String message, boolean acknowledged) {
    Live live = job.live;
    try {
      io.alfer.proto.v1.TrainingProgress.Builder progress =
          io.alfer.proto.v1.TrainingProgress.newBuilder()
              .setJobId(job.record.jobId())
              .setState(state)
              .setEpoch(live.epoch)
              .setEpochs(live.epochs)
              .setStep(live.step)
              .setSteps(live.steps)
              .setLoss(live.loss)
              .setImagesPerSecond(live.imagesPerSecond)
              .setEtaSeconds(live.etaSeconds)
              .setMessage(message)
              .setModelId(job.record.modelId())
              .setOrigin(Origins.now("trainer", instance));
      List<EpochPoint> history = job.record.history();
      if (!history.isEmpty()) {
        EpochPoint last = history.get(history.size() - 1);
        io.alfer.proto.v1.EpochSummary.Builder summary =
            io.alfer.proto.v1.EpochSummary.newBuilder().setEpoch(last.epoch()).setLoss(last.loss());
        if (last.knnAccuracy() != null) {
          summary.setKnnAccuracy(last.knnAccuracy());
        }
        if (last.linearProbeAccuracy() != null) {
          summary.setLinearProbeAccuracy(last.linearProbeAccuracy());
        }
        progress.setLastEpoch(summary);
      }
      events.progress(progress.build(), acknowledged);
    } catch (RuntimeException e) {
      LOG.warnf("progress of job %s not reported: %s", job.record.jobId(), e.getMessage());
    }
  }

  private JobView view(Job job) {
    JobRecord r = job.record;
    Live live = job.live;
    TrainingRequest request = r.request();
    boolean pretrain = request.hasPretrain();
    List<EpochPoint> history = r.history();
    EpochPoint lastEpoch = history.isEmpty() ? null : history.get(history.size() - 1);
    return new JobView(
        r.jobId(),
        pretrain ? "pretrain" : "finetune",
        pretrain ? request.getPretrain().getDataset() : request.getFinetune().getDataset(),
        TrainerMetrics.stateName(r.state()),
        r.message(),
        live.phase,
        live.epoch,
        live.epochs,
        live.step,
        live.steps,
        live.loss,
        lastEpoch == null ? null : lastEpoch.knnAccuracy(),
        lastEpoch == null ? null : lastEpoch.linearProbeAccuracy(),
        live.imagesPerSecond,
        live.etaSeconds,
        r.completedEpochs(),
        r.resumedFromEpoch(),
        r.attempts(),
        r.modelId(),
        r.createdAt(),
        r.startedAt(),
        r.finishedAt(),
        live.deepfool,
        history);
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * What {@link #submit} did.
   *
   * @param job the job
   * @param created whether this call created it (false: the job id was known)
   */
  public record Submission(JobView job, boolean created) {}

  /** A job in memory: its durable record and the live progress of its current run. */
  private static final class Job {
    volatile JobRecord record;
    volatile Live live = Live.NONE;
    volatile boolean cancelRequested;

    Job(JobRecord record) {
      this.record = record;
    }
  }

  /**
   * Progress of the current run: in the training phase epochs (1-based) and steps within the epoch;
   * in the DeepFool phase the last epoch stays, step / steps count images and the throughput and
   * ETA are DeepFool's.
   */
  private record Live(
      String phase,
      int epoch,
      int epochs,
      int step,
      int steps,
      double loss,
      double imagesPerSecond,
      double etaSeconds,
      DeepFoolPhase deepfool) {
    static final Live NONE = new Live("", 0, 0, 0, 0, Double.NaN, 0, 0, null);

    static final String TRAINING = "training";
    static final String DEEPFOOL = "deepfool";
    static final String WAITING_FOR_STORAGE = "waiting-for-storage";
  }

  /** Object storage did not answer again within the patience. */
  private static final class StorageUnavailable extends RuntimeException {
    StorageUnavailable(String message) {
      super(message, null, false, false);
    }
  }

  /** One run of a job: its context for the runner and the hooks of its training loop. */
  private final class Run implements RunContext, TrainingHooks {
    private final Job job;
    private long lastReport;
    private int epochIndex = -1;
    private double epochLossSum;
    private int epochSteps;

    Run(Job job) {
      this.job = job;
    }

    @Override
    public String jobId() {
      return job.record.jobId();
    }

    @Override
    public TrainingRequest request() {
      return job.record.request();
    }

    @Override
    public Optional<String> poolSnapshot() {
      String snapshot = job.record.poolSnapshot();
      return snapshot.isEmpty() ? Optional.empty() : Optional.of(snapshot);
    }

    @Override
    public void usePoolSnapshot(String snapshot) {
      job.record = job.record.withPoolSnapshot(snapshot);
      store.save(job.record);
    }

    @Override
    public Optional<byte[]> resumeState() {
      return job.record.completedEpochs() > 0 ? store.resumeState(jobId()) : Optional.empty();
    }

    @Override
    public double lastEpochLoss() {
      return job.record.lastEpochLoss();
    }

    @Override
    public TrainingHooks hooks() {
      return this;
    }

    @Override
    public void onProgress(TrainingProgress p) {
      if (p.epoch() != epochIndex) {
        epochIndex = p.epoch();
        epochLossSum = 0;
        epochSteps = 0;
      }
      epochLossSum += p.loss();
      epochSteps++;
      int stepsPerEpoch = (int) Math.max(1, p.totalSteps() / Math.max(1, p.epochs()));
      job.live =
          new Live(
              Live.TRAINING,
              p.epoch() + 1,
              p.epochs(),
              (int) (p.step() - (long) p.epoch() * stepsPerEpoch),
              stepsPerEpoch,
              p.loss(),
              p.imagesPerSecond(),
              p.eta().toMillis() / 1000.0,
              null);
      metrics.step(p.imagesPerSecond(), p.loss());
      long now = System.nanoTime();
      if (now - lastReport >= progressInterval.toNanos()) {
        lastReport = now;
        report(job, JobState.JOB_STATE_RUNNING, "", false);
      }
    }

    @Override
    public boolean isCancelled() {
      return halted || job.cancelRequested;
    }

    @Override
    public DeepFoolHooks deepFoolHooks() {
      return new DeepFoolHooks() {
        @Override
        public void onProgress(DeepFoolProgress progress) {
          deepFoolProgress(progress);
        }

        @Override
        public boolean isCancelled() {
          return Run.this.isCancelled();
        }
      };
    }

    private void deepFoolProgress(DeepFoolProgress p) {
      Live last = job.live;
      double eta = p.eta().toMillis() / 1000.0;
      job.live =
          new Live(
              Live.DEEPFOOL,
              last.epoch,
              last.epochs,
              p.done(),
              p.total(),
              last.loss,
              p.imagesPerSecond(),
              eta,
              new DeepFoolPhase(p.done(), p.total(), p.flipped(), p.imagesPerSecond(), eta));
      metrics.deepFool(p.imagesPerSecond());
      long now = System.nanoTime();
      boolean edge = p.iterations() == 0 || p.done() == p.total();
      if (edge || now - lastReport >= progressInterval.toNanos()) {
        lastReport = now;
        report(
            job,
            JobState.JOB_STATE_RUNNING,
            String.format(
                Locale.ROOT,
                "deepfool: %d/%d images, %d flipped",
                p.done(),
                p.total(),
                p.flipped()),
            false);
      }
      observer.deepFoolProgress(jobId(), p.done(), p.total());
    }

    /**
     * Keeps the epoch in the job's history (in memory: the epoch checkpoint that follows stores it
     * with the record, so a resumed job's history holds each epoch once).
     */
    @Override
    public void onEpochEnd(EpochSummary summary) {
      RepresentationQuality quality = summary.quality().orElse(null);
      job.record =
          job.record.withEpoch(
              new EpochPoint(
                  summary.epoch(),
                  summary.loss(),
                  quality == null ? null : quality.knnAccuracy(),
                  quality == null ? null : quality.linearProbeAccuracy()));
      if (quality != null) {
        metrics.quality(quality.knnAccuracy(), quality.linearProbeAccuracy());
        LOG.infof(
            "job %s: epoch %d/%d, loss %.4f, k-NN accuracy %.4f, linear probe %.4f (%d test"
                + " images, measured in %.2f s)",
            jobId(),
            summary.epoch(),
            summary.epochs(),
            summary.loss(),
            quality.knnAccuracy(),
            quality.linearProbeAccuracy(),
            quality.images(),
            quality.seconds());
      }
    }

    @Override
    public void onEpochCheckpoint(int completedEpochs, byte[] resumeState) {
      store.saveResumeState(jobId(), resumeState);
      List<EpochPoint> history = job.record.history();
      EpochPoint last = history.isEmpty() ? null : history.get(history.size() - 1);
      double loss =
          last != null && last.epoch() == completedEpochs
              ? last.loss()
              : epochSteps == 0 ? Double.NaN : epochLossSum / epochSteps;
      job.record = job.record.checkpointed(completedEpochs, loss);
      store.save(job.record);
      report(job, JobState.JOB_STATE_RUNNING, "epoch " + completedEpochs + " stored", false);
      observer.checkpointStored(jobId(), completedEpochs);
    }
  }
}
