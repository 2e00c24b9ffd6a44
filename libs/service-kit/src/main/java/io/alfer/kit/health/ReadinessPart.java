package io.alfer.kit.health;

import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * What a service adds to its readiness besides Kafka and S3: a bean of the service implements it
 * (its replayed state, its catalog, its recovered jobs) and {@link DependenciesReadiness} reports
 * it under {@link #readinessName()}; the service is ready only when every part is.
 */
public interface ReadinessPart extends ReadinessData {
  /** The key of this part in the check's data, e.g. {@code catalog}. */
  String readinessName();

  /** Whether this part lets the service answer now. */
  boolean ready();

  /** More data for operators; nothing by default. */
  @Override
  default void describe(HealthCheckResponseBuilder check) {}

  /** A part named {@code name} that is ready when {@code ready} says so, for a producer method. */
  static ReadinessPart of(String name, BooleanSupplier ready) {
    return of(name, ready, check -> {});
  }

  /** The same, adding {@code data} to the check. */
  static ReadinessPart of(String name, BooleanSupplier ready, ReadinessData data) {
    return new ReadinessPart() {
      @Override
      public String readinessName() {
        return name;
      }

      @Override
      public boolean ready() {
        return ready.getAsBoolean();
      }

      @Override
      public void describe(HealthCheckResponseBuilder check) {
        data.describe(check);
      }
    };
  }
}
