package io.alfer.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.core.messaging.Topic;
import io.alfer.ml.checkpoint.ModelStore;
import io.alfer.proto.v1.JobState;
import io.alfer.proto.v1.TrainingProgress;
import io.alfer.proto.v1.TrainingRequest;
import io.alfer.testkit.KafkaTestResource;
import io.alfer.testkit.S3TestResource;
import io.alfer.testkit.TopicProbe;
import io.alfer.trainer.dataset.DatasetFollower;
import io.alfer.trainer.job.EpochObserver;
import io.alfer.trainer.job.EpochPoint;
import io.alfer.trainer.job.JobExecutor;
import io.alfer.trainer.job.JobRecord;
import io.alfer.trainer.job.JobRequests;
import io.alfer.trainer.job.JobService;
import io.alfer.trainer.job.JobStore;
import io.alfer.trainer.job.JobView;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A trainer that stops right after a pre-training's first epoch checkpoint (as a crash would: no
 * final state is written) and a trainer started afterwards on the same object store: the second
 * resumes at epoch 2 and ends with exactly the weights of an uninterrupted run.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class CrashResumeTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @Inject JobService service;
  @Inject JobRequests requests;
  @Inject DatasetFollower follower;
  @Inject JobStore store;

  private List<EpochPoint> resumedHistory;

  @Test
  void aRestartedTrainerResumesFromTheLastEpochCheckpoint() throws Exception {
    Fixtures.dataset("crash-a", 24, 30);
    assertThat(follower.sync(TIMEOUT)).isTrue();
    TrainingRequest request = requests.normalise(Fixtures.pretrain("crash-a-job", "crash-a", 3));

    AtomicReference<JobExecutor> first = new AtomicReference<>();
    CountDownLatch crashed = new CountDownLatch(1);
    EpochObserver crashAfterFirstEpoch =
        (jobId, epochs) -> {
          if (jobId.equals("crash-a-job") && epochs == 1) {
            first.get().halt();
            crashed.countDown();
          }
        };
    JobExecutor before = service.newExecutor(crashAfterFirstEpoch);
    first.set(before);
    before.start();
    before.submit(request);
    assertThat(crashed.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    before.close();
    assertThat(before.stopped()).isTrue();

    JobRecord left = store.find("crash-a-job").orElseThrow();
    assertThat(left.state()).isEqualTo(JobState.JOB_STATE_RUNNING);
    assertThat(left.completedEpochs()).isEqualTo(1);
    assertThat(store.resumeState("crash-a-job")).isPresent();
    ModelStore models = ModelStore.on(S3TestResource.objectStore());
    assertThat(models.exists("crash-a-job")).isFalse();

    String bootstrap = KafkaTestResource.bootstrapServers();
    try (TopicProbe progress = TopicProbe.fromNow(bootstrap, Topic.TRAINING_PROGRESS.topicName());
        TopicProbe announced = TopicProbe.fromNow(bootstrap, Topic.MODELS.topicName())) {
      JobExecutor after = service.newExecutor(EpochObserver.NONE);
      try {
        after.start();
        announced.await(r -> r.key().equals("crash-a-job"), 1, TIMEOUT);
        JobView view = after.find("crash-a-job").orElseThrow();
        assertThat(view.state()).isEqualTo("succeeded");
        assertThat(view.resumedFromEpoch()).isEqualTo(1);
        assertThat(view.attempts()).isEqualTo(2);
        // epoch 1 from the first run (stored with its checkpoint), 2 and 3 from the second
        assertThat(view.history()).extracting(EpochPoint::epoch).containsExactly(1, 2, 3);
        resumedHistory = view.history();
      } finally {
        after.close();
      }
      progress.await(
          r ->
              r.key().equals("crash-a-job")
                  && Records.progress(r).getState() == JobState.JOB_STATE_SUCCEEDED,
          1,
          TIMEOUT);
      List<TrainingProgress> steps =
          progress.received().stream()
              .filter(r -> r.key().equals("crash-a-job"))
              .map(Records::progress)
              .filter(p -> p.getState() == JobState.JOB_STATE_RUNNING && p.getEpoch() > 0)
              .toList();
      // epoch 1 was not trained again: the resumed run starts at epoch 2
      assertThat(steps).isNotEmpty().allSatisfy(p -> assertThat(p.getEpoch()).isGreaterThan(1));
      assertThat(steps.get(0).getEpoch()).isEqualTo(2);
      assertThat(steps).anySatisfy(p -> assertThat(p.getEpoch()).isEqualTo(3));
    }
    assertThat(store.resumeState("crash-a-job")).isEmpty();

    // the same request, never interrupted, gives bit-identical weights
    try (TopicProbe announced = TopicProbe.fromNow(bootstrap, Topic.MODELS.topicName())) {
      service.submit(Fixtures.pretrain("crash-a-reference", "crash-a", 3));
      announced.await(r -> r.key().equals("crash-a-reference"), 1, TIMEOUT);
    }
    assertThat(models.load("crash-a-job").parameters())
        .isEqualTo(models.load("crash-a-reference").parameters());
    // and the same history, loss, k-NN and linear-probe accuracy of every epoch alike
    assertThat(service.find("crash-a-reference").orElseThrow().history())
        .isEqualTo(resumedHistory)
        .allSatisfy(
            p -> {
              assertThat(p.knnAccuracy()).isBetween(0.0, 1.0);
              assertThat(p.linearProbeAccuracy()).isBetween(0.0, 1.0);
            });
  }
}
