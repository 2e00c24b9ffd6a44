package io.alfer.trainer.health;

import io.alfer.kit.health.ReadinessData;
import io.alfer.kit.health.ReadinessPart;
import io.alfer.trainer.dataset.DatasetFollower;
import io.alfer.trainer.job.JobService;
import io.alfer.trainer.job.TrainingDevice;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * What the trainer adds to the kit's {@code dependencies} check: the dataset catalog replayed, the
 * jobs recovered from object storage, and the training device.
 */
public final class TrainerReadiness {
  private TrainerReadiness() {}

  /** {@code catalog}: the dataset and image announcements replayed. */
  @ApplicationScoped
  public static class Catalog implements ReadinessPart {
    private final DatasetFollower follower;

    public Catalog(DatasetFollower follower) {
      this.follower = follower;
    }

    @Override
    public String readinessName() {
      return "catalog";
    }

    @Override
    public boolean ready() {
      return follower.caughtUp();
    }
  }

  /** {@code jobs-recovered}: the jobs found in object storage taken up again. */
  @ApplicationScoped
  public static class Jobs implements ReadinessPart {
    private final JobService jobs;

    public Jobs(JobService jobs) {
      this.jobs = jobs;
    }

    @Override
    public String readinessName() {
      return "jobs-recovered";
    }

    @Override
    public boolean ready() {
      return jobs.recovered();
    }
  }

  /** {@code device}: where training runs. */
  @ApplicationScoped
  public static class Device implements ReadinessData {
    private final TrainingDevice device;

    public Device(TrainingDevice device) {
      this.device = device;
    }

    @Override
    public void describe(HealthCheckResponseBuilder check) {
      check.withData("device", String.valueOf(device.name()));
    }
  }
}
