package io.alfer.trainer.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.alfer.core.storage.ObjectStore;
import io.alfer.proto.v1.FinetuneJob;
import io.alfer.proto.v1.JobState;
import io.alfer.proto.v1.ModelPublished;
import io.alfer.proto.v1.TrainingProgress;
import io.alfer.proto.v1.TrainingRequest;
import io.alfer.testkit.S3ProxyServer;
import io.alfer.trainer.metrics.TrainerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A job whose object storage goes away while it runs, on a real S3 server process that is killed
 * and started again: the job waits for storage and runs again rather than failing, and when storage
 * stays away longer than the patience the job fails with its reason — reported on the progress
 * topic even though its record cannot be written, and recorded once storage is back. A storage
 * error while storage answers (a refused or missing object) is the job's failure at once.
 */
class StorageOutageTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String MODEL_KEY = "models/%s/checkpoint.zip";

  private S3ProxyServer s3;
  private ObjectStore objects;
  private JobStore store;
  private final Events events = new Events();
  private JobExecutor executor;

  /** The runner's first attempt waits here until the test has taken storage away. */
  private final CountDownLatch computing = new CountDownLatch(1);

  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger attempts = new AtomicInteger();

  @BeforeEach
  void startStorage() {
    s3 = new S3ProxyServer(Map.of());
    assumeThat(s3.external()).as("needs an S3 process of its own to kill").isFalse();
    s3.start();
    objects = s3.objectStore();
    store = new JobStore(objects, new ObjectMapper().findAndRegisterModules());
  }

  @AfterEach
  void stop() {
    if (executor != null) {
      executor.close();
    }
    s3.close();
  }

  /** Trains (waits for the test on its first attempt), then stores its model as a runner does. */
  private ModelPublished fineTune(RunContext context) {
    attempts.incrementAndGet();
    computing.countDown();
    try {
      assertThat(release.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    String id = context.jobId();
    objects.put(MODEL_KEY.formatted(id), new byte[] {1, 2, 3}, "application/zip");
    return ModelPublished.newBuilder().setModelId(id).setJobId(id).build();
  }

  private JobExecutor executor(JobRunner runner, Duration patience) {
    JobExecutor e =
        new JobExecutor(
            store,
            runner,
            events,
            new TrainerMetrics(new SimpleMeterRegistry()),
            new TrainingDevice(null),
            Duration.ZERO,
            patience,
            EpochObserver.NONE,
            "outage-test");
    e.start();
    await("recovery").atMost(WAIT).until(e::recovered);
    return e;
  }

  private static TrainingRequest request(String jobId) {
    return TrainingRequest.newBuilder()
        .setJobId(jobId)
        .setFinetune(FinetuneJob.newBuilder().setCampaignId("c").setDataset("faces").setRound(0))
        .build();
  }

  @Test
  void aJobInterruptedByAStorageOutageWaitsAndRunsAgainWhenStorageIsBack() throws Exception {
    executor = executor(this::fineTune, WAIT);
    executor.submit(request("outage-1"));
    assertThat(computing.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

    s3.kill();
    release.countDown(); // the model's upload meets the outage
    await("the job waiting for storage")
        .atMost(WAIT)
        .until(() -> events.last("outage-1").getMessage().startsWith("waiting for object storage"));
    assertThat(executor.find("outage-1").orElseThrow().state()).isEqualTo("running");
    s3.restart();

    await("the job's end").atMost(WAIT).until(() -> events.ended("outage-1"));
    JobView job = executor.find("outage-1").orElseThrow();
    assertThat(job.state()).as(job.message()).isEqualTo("succeeded");
    assertThat(attempts).hasValue(2);
    assertThat(events.states("outage-1")).doesNotContain(JobState.JOB_STATE_FAILED);
    assertThat(events.models).extracting(ModelPublished::getModelId).containsExactly("outage-1");
    assertThat(objects.exists(MODEL_KEY.formatted("outage-1"))).isTrue();
    assertThat(store.find("outage-1").orElseThrow().state())
        .isEqualTo(JobState.JOB_STATE_SUCCEEDED);
  }

  @Test
  void anOutageLongerThanThePatienceFailsTheJobWithItsReasonAndRecordsItLater() throws Exception {
    executor = executor(this::fineTune, Duration.ofSeconds(3));
    executor.submit(request("outage-2"));
    assertThat(computing.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

    s3.kill();
    release.countDown();
    // reported while storage is still down: whoever waits for the job learns why it ended
    await("the job's failure").atMost(WAIT).until(() -> events.ended("outage-2"));
    TrainingProgress end = events.last("outage-2");
    assertThat(end.getState()).isEqualTo(JobState.JOB_STATE_FAILED);
    assertThat(end.getMessage()).startsWith("storage_unavailable: ").contains("outage-2");
    assertThat(executor.find("outage-2").orElseThrow().state()).isEqualTo("failed");
    assertThat(attempts).hasValue(1);

    s3.restart();
    await("the failure recorded once storage is back")
        .atMost(WAIT)
        .until(() -> store.find("outage-2").orElseThrow().state() == JobState.JOB_STATE_FAILED);
    assertThat(store.find("outage-2").orElseThrow().message()).startsWith("storage_unavailable: ");
  }

  @Test
  void aStorageErrorWhileStorageAnswersFailsTheJobAtOnce() {
    executor =
        executor(
            context -> {
              attempts.incrementAndGet();
              objects.get("models/no-such-base/checkpoint.zip");
              throw new AssertionError("read a missing object");
            },
            WAIT);
    executor.submit(request("missing-base"));

    await("the job's failure").atMost(WAIT).until(() -> events.ended("missing-base"));
    assertThat(events.last("missing-base").getState()).isEqualTo(JobState.JOB_STATE_FAILED);
    assertThat(events.last("missing-base").getMessage()).contains("no-such-base");
    assertThat(attempts).hasValue(1);
    assertThat(store.find("missing-base").orElseThrow().state())
        .isEqualTo(JobState.JOB_STATE_FAILED);
  }

  /** What the executor reports, kept in order. */
  private static final class Events implements JobEvents {
    final List<TrainingProgress> progress = new CopyOnWriteArrayList<>();
    final List<ModelPublished> models = new CopyOnWriteArrayList<>();

    @Override
    public void progress(TrainingProgress p, boolean acknowledged) {
      progress.add(p);
    }

    @Override
    public void model(ModelPublished model) {
      models.add(model);
    }

    TrainingProgress last(String jobId) {
      List<TrainingProgress> of =
          progress.stream().filter(p -> p.getJobId().equals(jobId)).toList();
      return of.isEmpty() ? TrainingProgress.getDefaultInstance() : of.get(of.size() - 1);
    }

    List<JobState> states(String jobId) {
      return progress.stream()
          .filter(p -> p.getJobId().equals(jobId))
          .map(TrainingProgress::getState)
          .toList();
    }

    boolean ended(String jobId) {
      JobState s = last(jobId).getState();
      return s == JobState.JOB_STATE_SUCCEEDED
          || s == JobState.JOB_STATE_FAILED
          || s == JobState.JOB_STATE_CANCELLED;
    }
  }
}
