package io.alfer.oracle.health;

import io.alfer.oracle.truth.GroundTruth;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the ground truth has been replayed from alfer.images. */
@Readiness
@ApplicationScoped
public class GroundTruthReadiness implements HealthCheck {
  private final GroundTruth truth;

  public GroundTruthReadiness(GroundTruth truth) {
    this.truth = truth;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("ground-truth").status(truth.caughtUp()).build();
  }
}
