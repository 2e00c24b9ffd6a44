package io.alfer.trainer.health;

import io.alfer.kit.health.ReadinessData;
import io.alfer.kit.health.ReadinessPart;
import io.alfer.trainer.dataset.DatasetFollower;
import io.alfer.trainer.job.JobService;
import io.alfer.trainer.job.TrainingDevice;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * What the trainer adds to the kit's {@code dependencies} check: {@code catalog} (the dataset and
 * image announcements replayed), {@code jobs-recovered} (the jobs found in object storage taken up
 * again) and {@code device} (where training runs).
 */
@ApplicationScoped
public class TrainerReadiness {
  @Produces
  @Singleton
  ReadinessPart catalog(DatasetFollower follower) {
    return ReadinessPart.of("catalog", follower::caughtUp);
  }

  @Produces
  @Singleton
  ReadinessPart jobs(JobService jobs) {
    return ReadinessPart.of("jobs-recovered", jobs::recovered);
  }

  @Produces
  @Singleton
  ReadinessData device(TrainingDevice device) {
    return check -> check.withData("device", String.valueOf(device.name()));
  }
}
