package io.alfer.kit.health;

import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * Data for operators in a service's readiness check that does not decide it (the device in use, the
 * execution provider): a bean of the service implements it and {@link DependenciesReadiness} adds
 * what it writes.
 */
public interface ReadinessData {
  /** Adds this bean's data to the check. */
  void describe(HealthCheckResponseBuilder check);
}
